/// Checks DTOs bound to a table (`x-table`) against the catalog: the table exists, every field
/// that is not `x-computed` has a column (`createdAt` → `created_at`), and their types and
/// nullability are compatible. A mismatch is API ↔ database drift, reported at the schema.
enum TableBindingChecker {
    static func check(_ model: ContractModel, catalog: DatabaseCatalog, migrations: String) -> [Diagnostic] {
        var diagnostics = DiagnosticCollector()
        let schemas = Dictionary(model.schemas.map { ($0.name, $0.schema) }, uniquingKeysWith: { first, _ in first })
        for named in model.schemas {
            guard case .object(let object) = named.schema.shape, let tableName = object.table else { continue }
            let location = named.schema.location
            guard let table = catalog.table(tableName) else {
                diagnostics.error("\(named.name) is bound to table \(tableName) (x-table), which \(migrations) does not create", at: location, rule: "api-db-binding")
                continue
            }
            for property in object.properties where !property.computed {
                let columnName = snakeCase(property.name)
                guard let column = table.column(columnName) else {
                    diagnostics.error(
                        "\(named.name).\(property.name) has no column \(tableName).\(columnName); add the column or mark the field x-computed: true",
                        at: property.schema.location ?? location, rule: "api-db-binding")
                    continue
                }
                let schema = resolved(property.schema, schemas)
                if let problem = incompatibility(schema, column, catalog: catalog) ?? checkedValuesDiffer(schema, column.type.checkedColumn.flatMap { catalog.checkedValues[$0] }) {
                    diagnostics.error("\(named.name).\(property.name) does not fit \(tableName).\(columnName): \(problem)", at: property.schema.location ?? location, rule: "api-db-binding")
                }
                let fieldAcceptsNull = schema.nullable || !property.required
                if !column.notNull, !fieldAcceptsNull {
                    diagnostics.error(
                        "\(named.name).\(property.name) cannot be null, but \(tableName).\(columnName) is nullable; make the field nullable or the column NOT NULL",
                        at: property.schema.location ?? location, rule: "api-db-binding")
                }
            }
        }
        return diagnostics.diagnostics
    }

    /// The named string enum schema each bound column holds, by `table.column` (`Asset.mediaType:
    /// $ref MediaType` → `assets.media_type: MediaType`); the first binding of a column wins.
    static func boundEnums(_ model: ContractModel) -> [String: String] {
        let enums = Set(model.schemas.filter { if case .stringEnum = $0.schema.shape { true } else { false } }.map(\.name))
        var result: [String: String] = [:]
        for named in model.schemas {
            guard case .object(let object) = named.schema.shape, let table = object.table else { continue }
            for property in object.properties where !property.computed {
                guard case .reference(let target) = property.schema.shape, enums.contains(target) else { continue }
                let key = "\(table).\(snakeCase(property.name))"
                if result[key] == nil { result[key] = target }
            }
        }
        return result
    }

    /// `createdAt` → `created_at`, `sha256` → `sha256`.
    static func snakeCase(_ name: String) -> String {
        var result = ""
        for character in name {
            if character.isUppercase {
                if !result.isEmpty { result += "_" }
                result += character.lowercased()
            } else {
                result.append(character)
            }
        }
        return result
    }

    /// Follows references to the schema that decides the value's shape.
    static func resolved(_ schema: SchemaModel, _ schemas: [String: SchemaModel]) -> SchemaModel {
        var current = schema
        var hops = 0
        while case .reference(let name) = current.shape, let target = schemas[name], hops < 16 {
            var next = target
            next.nullable = next.nullable || current.nullable
            current = next
            hops += 1
        }
        return current
    }

    /// Why a string enum field does not fit a column a `CHECK (column IN (…))` limits (nil when the
    /// values are the same, or when either side is not an enumeration).
    private static func checkedValuesDiffer(_ schema: SchemaModel, _ allowed: [String]?) -> String? {
        guard case .stringEnum(let values) = schema.shape, let allowed else { return nil }
        let missing = Set(values).subtracting(allowed)
        let extra = Set(allowed).subtracting(values)
        if missing.isEmpty && extra.isEmpty { return nil }
        return "the enum values differ from the column's CHECK (only in the contract: \(missing.sorted()), only in the database: \(extra.sorted()))"
    }

    /// Why a field of `schema` cannot hold `column`'s values (nil when it can).
    private static func incompatibility(_ schema: SchemaModel, _ column: ColumnModel, catalog: DatabaseCatalog) -> String? {
        let type = column.type
        func expect(_ allowed: Set<String>, _ what: String) -> String? {
            allowed.contains(type.name) && !type.isArray ? nil : "\(what) needs a column of type \(allowed.sorted().joined(separator: " or ")), found \(type)"
        }
        switch schema.shape {
        case .string(let kind):
            switch kind {
            case .uuid: return expect(["uuid"], "a uuid string")
            case .dateTime: return expect(["timestamp with time zone", "timestamp without time zone"], "a date-time string")
            case .date: return expect(["date"], "a date string")
            default: return expect(["text", "character varying", "character", "uuid", "inet", "cidr"], "a string")
            }
        case .stringEnum(let values):
            if let pgEnum = catalog.enums[type.name], !type.isArray {
                let missing = Set(values).subtracting(pgEnum.values)
                let extra = Set(pgEnum.values).subtracting(values)
                if missing.isEmpty && extra.isEmpty { return nil }
                return "the enum values differ from \(type.name)'s (only in the contract: \(missing.sorted()), only in the database: \(extra.sorted()))"
            }
            return expect(["text", "character varying"], "a string enum")
        case .integer:
            return expect(["smallint", "integer", "bigint"], "an integer")
        case .number:
            return expect(["numeric", "real", "double precision", "smallint", "integer", "bigint"], "a number")
        case .boolean:
            return expect(["boolean"], "a boolean")
        case .array(let items):
            if type.isArray {
                let element = ColumnModel(name: column.name, type: type.element, notNull: true, defaultExpression: nil, location: column.location)
                if let problem = incompatibility(items, element, catalog: catalog), !["json", "jsonb"].contains(type.name) { return "its items: \(problem)" }
                return nil
            }
            return ["json", "jsonb"].contains(type.name) ? nil : "an array needs an array or jsonb column, found \(type)"
        case .object, .map, .union, .any:
            return ["json", "jsonb"].contains(type.name) && !type.isArray ? nil : "an object needs a json or jsonb column, found \(type)"
        case .reference:
            return nil
        }
    }
}
