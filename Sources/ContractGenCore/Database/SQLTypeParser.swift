/// Reads a column type as PostgreSQL accepts it (`double precision`, `timestamptz`,
/// `varchar(64)`, `text[]`, `int ARRAY`, an enum name) into its canonical `SQLType`.
extension SQLCursor {
    /// The type, and whether it was a `serial` pseudo-type (an integer with a sequence default).
    mutating func sqlType() throws(Failure) -> (type: SQLType, serial: Bool) {
        let name = try identifier("a type")
        var canonical = name
        var serial = false
        var modifiers: [Int] = []
        switch name {
        case "double":
            try expect("precision")
            canonical = "double precision"
        case "timestamp", "time", "timestamptz", "timetz":
            if isSymbol("(") { modifiers = try typeModifiers() }
            let base = name.hasPrefix("timestamp") ? "timestamp" : "time"
            if name.hasSuffix("tz") || take("with", "time", "zone") {
                canonical = base + " with time zone"
            } else {
                _ = take("without", "time", "zone")
                canonical = base + " without time zone"
            }
        case "character", "char", "varchar", "bpchar":
            canonical = name == "varchar" || take("varying") ? "character varying" : "character"
        case "bit":
            canonical = take("varying") ? "bit varying" : "bit"
        case "varbit": canonical = "bit varying"
        case "int", "int4", "integer": canonical = "integer"
        case "int8", "bigint": canonical = "bigint"
        case "int2", "smallint": canonical = "smallint"
        case "serial", "serial4": canonical = "integer"; serial = true
        case "bigserial", "serial8": canonical = "bigint"; serial = true
        case "smallserial", "serial2": canonical = "smallint"; serial = true
        case "bool", "boolean": canonical = "boolean"
        case "float8": canonical = "double precision"
        case "float4", "real": canonical = "real"
        case "float":
            if isSymbol("(") { modifiers = try typeModifiers() }
            canonical = (modifiers.first ?? 53) <= 24 ? "real" : "double precision"
            modifiers = []
        case "decimal", "numeric": canonical = "numeric"
        case "interval":
            while take("year") || take("month") || take("day") || take("hour") || take("minute") || take("second") || take("to") {}
        default:
            break
        }
        if isSymbol("("), modifiers.isEmpty { modifiers = try typeModifiers() }
        var dimensions = 0
        while true {
            if takeSymbol("[") {
                if current?.kind == .number { position += 1 }
                try expectSymbol("]")
                dimensions += 1
            } else if take("array") {
                if takeSymbol("[") {
                    if current?.kind == .number { position += 1 }
                    try expectSymbol("]")
                }
                dimensions += 1
            } else {
                break
            }
        }
        return (SQLType(canonical, arrayDimensions: dimensions, modifiers: modifiers), serial)
    }

    private mutating func typeModifiers() throws(Failure) -> [Int] {
        try expectSymbol("(")
        var values: [Int] = []
        repeat {
            guard let token = current, token.kind == .number, let value = Int(token.text) else { throw failure("expected a number in the type modifier") }
            values.append(value)
            position += 1
        } while takeSymbol(",")
        try expectSymbol(")")
        return values
    }

    /// Types PostgreSQL 15 has without extensions, by canonical name.
    static let builtinTypes: Set<String> = [
        "bigint", "integer", "smallint", "numeric", "real", "double precision", "boolean", "text", "character varying",
        "character", "bytea", "uuid", "json", "jsonb", "date", "timestamp with time zone", "timestamp without time zone",
        "time with time zone", "time without time zone", "interval", "inet", "cidr", "macaddr", "macaddr8", "money",
        "bit", "bit varying", "xml", "tsvector", "tsquery", "oid", "point", "line", "lseg", "box", "path", "polygon",
        "circle", "int4range", "int8range", "numrange", "tsrange", "tstzrange", "daterange", "name", "regclass",
    ]
}
