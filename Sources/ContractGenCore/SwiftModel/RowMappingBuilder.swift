/// Builds the initializers of DTOs from the rows of the tables their schemas are bound to
/// (`x-table`), from the same struct declarations and row columns the API and database layers are
/// generated from, so the two cannot disagree on a member's name or type.
struct RowMappingBuilder {
    let model: ContractModel
    let catalog: DatabaseCatalog
    let access: String
    let boundEnums: [String: String]

    func mappings() -> [RowMappingDeclaration] {
        let mapper = SwiftTypeMapper(schemas: model.schemas, reserved: Set(model.operations.map(OperationBuilder.namespace)))
        let declarations = DeclarationBuilder(mapper: mapper, access: access)
        let database = DatabaseBuilder(catalog: catalog, queries: [], access: access, display: { "\($0.file):\($0.line)" }, boundEnums: boundEnums)
        var result: [RowMappingDeclaration] = []
        for named in model.schemas {
            guard case .object(let object) = named.schema.shape, let tableName = object.table, let table = catalog.table(tableName),
                  case .structure(let structure) = declarations.declaration(named: named.name, schema: named.schema),
                  let columns = database.columnViews(table.columns.map { ($0.name, $0.type, !$0.notNull) })
            else { continue }
            let columnByName = Dictionary(uniqueKeysWithValues: zip(table.columns.map(\.name), zip(table.columns, columns)))
            var fields: [RowMappingDeclaration.Field] = []
            for (property, member) in zip(object.properties, structure.properties) where member.coding != .constant {
                var field = RowMappingDeclaration.Field(
                    member: member.member, column: "", source: .argument, optional: false, numberType: "", type: member.type)
                if !property.computed, member.coding != .optionalNullable, member.coding != .additional,
                   let (column, view) = columnByName[TableBindingChecker.snakeCase(property.name)],
                   let source = Self.source(
                       apiType: apiType(property.schema, mapper: mapper, declared: member.baseType), column: column, catalog: catalog,
                       columnType: view.type.unwrapped) {
                    field.column = view.member
                    field.source = source.source
                    field.numberType = source.numberType
                    field.optional = !column.notNull
                }
                fields.append(field)
            }
            result.append(RowMappingDeclaration(
                access: access, type: structure.name, schema: named.name, rowType: DatabaseTypeMapper.singularTypeName(table.name) + "Row",
                table: table.name, fields: fields))
        }
        return result
    }

    /// What the API holds a value of `schema` as, for matching with a column: an enum, an array of
    /// enums, or the name of a plain Swift type (aliases followed to it).
    enum APIType: Equatable {
        case enumeration
        case enumerationArray
        case plain(String)
        case other
    }

    private func apiType(_ schema: SchemaModel, mapper: SwiftTypeMapper, declared: SwiftType) -> APIType {
        let effective = mapper.effective(schema)
        switch effective.shape {
        case .reference(let name):
            return mapper.namedKind(name) == .stringEnum ? .enumeration : .other
        case .array(let items):
            if case .reference(let name) = mapper.effective(items).shape, mapper.namedKind(name) == .stringEnum { return .enumerationArray }
            var nested: [NestedDeclaration] = []
            let type = mapper.swiftType(effective, suggestedName: "Value", nested: &nested)
            if nested.isEmpty, case .array(.named(let element)) = type { return .plain("[\(element)]") }
            return .other
        case .object, .union, .map, .any, .stringEnum:
            return .other
        default:
            var nested: [NestedDeclaration] = []
            if case .named(let name) = mapper.swiftType(effective, suggestedName: "Value", nested: &nested), nested.isEmpty { return .plain(name) }
            if case .named(let name) = declared { return .plain(name) }
            return .other
        }
    }

    /// How a field of `apiType` is read from `column`; nil when it cannot be (the field is an argument).
    static func source(apiType: APIType, column: ColumnModel, catalog: DatabaseCatalog, columnType swiftType: SwiftType) -> (source: RowMappingDeclaration.Source, numberType: String)? {
        let type = column.type
        let isEnum = !type.isArray && (catalog.enums[type.name] != nil || type.checkedColumn != nil)
        let isText = ["text", "character varying", "character"].contains(type.name)
        switch apiType {
        case .enumeration:
            if isEnum { return (.enumeration, "") }
            if isText, !type.isArray { return (.enumerationFromText, "") }
            return nil
        case .enumerationArray:
            return type.isArray && isText && column.notNull ? (.enumerationArray, "") : nil
        case .plain(let name):
            let columnType: String? = switch swiftType {
            case .named(let name): name
            case .array(.named(let element)): "[\(element)]"
            default: nil
            }
            guard let columnType, !isEnum else { return nil }
            if columnType == name { return (.same, "") }
            let integers: Set<String> = ["Int16", "Int32", "Int64"]
            if integers.contains(columnType), ["Int", "Int32", "Int64", "Double"].contains(name) { return (.number, name) }
            return nil
        case .other:
            return nil
        }
    }
}
