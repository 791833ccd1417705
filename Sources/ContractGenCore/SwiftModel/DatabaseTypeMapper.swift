/// What PostgreSQL types become in Swift (PostgresNIO's codable types): `uuid` → UUID,
/// `timestamptz` → Date, `jsonb` → JSONValue, integers by width, enums → generated enums,
/// arrays of those → Swift arrays.
struct DatabaseTypeMapper {
    /// PostgreSQL enum name → Swift type name.
    let enumNames: [String: String]
    /// `table.column` of a text column a `CHECK (column IN (…))` limits → Swift type name
    /// (`assets.status` → `AssetStatusEnum`).
    let checkedEnumNames: [String: String]

    /// `boundEnums`: the API enum schema each checked column is bound to (`x-table`), by
    /// `table.column`; the columns bound to one schema share one enum named after it
    /// (`assets.media_type`, `tasks.media_type` → `MediaTypeEnum`), the others are named after
    /// their table and column (`users.status` → `UserStatusEnum`).
    init(catalog: DatabaseCatalog, boundEnums: [String: String] = [:]) {
        var names: [String: String] = [:]
        for name in catalog.enums.keys.sorted() { names[name] = SwiftNaming.typeName(name, avoidingReserved: false) + "Enum" }
        enumNames = names
        var taken = Set(names.values)
        var shared: [String: String] = [:]
        var checked: [String: String] = [:]
        for entry in catalog.checkedColumns {
            if let schema = boundEnums[entry.key], let name = shared[schema] {
                checked[entry.key] = name
                continue
            }
            let own = Self.singularTypeName(entry.table.name) + SwiftNaming.typeName(entry.column.name, avoidingReserved: false)
            var name = (boundEnums[entry.key].map { SwiftNaming.typeName($0, avoidingReserved: false) } ?? own) + "Enum"
            if taken.contains(name) { name = own + "ColumnEnum" }
            taken.insert(name)
            checked[entry.key] = name
            if let schema = boundEnums[entry.key] { shared[schema] = name }
        }
        checkedEnumNames = checked
    }

    /// The Swift type of a non-null value of `type`, or nil when there is none.
    func swiftType(_ type: SQLType) -> SwiftType? {
        if type.isArray {
            guard type.arrayDimensions == 1, enumNames[type.name] == nil, let element = swiftType(type.element) else { return nil }
            return .array(element)
        }
        if let name = enumNames[type.name] { return .named(name) }
        if let checked = type.checkedColumn, let name = checkedEnumNames[checked] { return .named(name) }
        let name: String? = switch type.name {
        case "uuid": "UUID"
        case "text", "character varying", "character", "name": "String"
        case "smallint": "Int16"
        case "integer": "Int32"
        case "bigint": "Int64"
        case "boolean": "Bool"
        case "real": "Float"
        case "double precision": "Double"
        case "numeric": "Decimal"
        case "timestamp with time zone", "timestamp without time zone", "date": "Date"
        case "json", "jsonb": "JSONValue"
        case "bytea": "ByteBuffer"
        default: nil
        }
        return name.map(SwiftType.named)
    }

    /// Whether binding a value of this type can throw (JSON encoding), so the call needs `try`.
    static func encodingThrows(_ type: SQLType) -> Bool {
        ["json", "jsonb"].contains(type.name)
    }

    /// Whether a key column of this type can travel in a keyset cursor.
    func isKeysetComponent(_ type: SQLType) -> Bool {
        !type.isArray && ["uuid", "text", "character varying", "smallint", "integer", "bigint", "timestamp with time zone"].contains(type.name)
    }

    /// A SQL identifier, always quoted (column names like `position` or `source` are keywords).
    static func quoted(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// `tasks` → `Task`, `task_events` → `TaskEvent`, `webhook_deliveries` → `WebhookDelivery`.
    static func singularTypeName(_ table: String) -> String {
        var name = table
        if name.hasSuffix("ies") { name = String(name.dropLast(3)) + "y" }
        else if name.hasSuffix("sses") || name.hasSuffix("xes") || name.hasSuffix("ches") || name.hasSuffix("shes") || name.hasSuffix("uses") { name = String(name.dropLast(2)) }
        else if name.hasSuffix("s"), !name.hasSuffix("ss") { name = String(name.dropLast()) }
        return SwiftNaming.typeName(name, avoidingReserved: false)
    }
}
