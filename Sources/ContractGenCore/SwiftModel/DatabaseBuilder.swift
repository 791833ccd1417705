/// Builds the Swift IR of the database layer: an enum per PostgreSQL enum, a row type, an insert
/// type and a repository per table, and a typed function per named query.
struct DatabaseBuilder {
    let catalog: DatabaseCatalog
    let queries: [NamedQuery]
    let access: String
    let mapper: DatabaseTypeMapper
    /// Shows a path as diagnostics and doc comments do (`contracts/db/…`).
    let display: (SourceLocation) -> String
    /// The API schemas with a state machine that columns of a PostgreSQL enum are bound to, by the enum's name.
    let stateMachines: [String: NamedSchema]

    init(
        catalog: DatabaseCatalog, queries: [NamedQuery], access: String, display: @escaping (SourceLocation) -> String,
        stateMachines: [String: NamedSchema] = [:], boundEnums: [String: String] = [:]
    ) {
        self.stateMachines = stateMachines
        self.catalog = catalog
        self.queries = queries
        self.access = access
        self.mapper = DatabaseTypeMapper(catalog: catalog, boundEnums: boundEnums)
        self.display = display
    }

    /// An enum per PostgreSQL enum type, then one per checked text column (one for the columns
    /// that share an API enum).
    func enums() -> [DatabaseEnumDeclaration] {
        var checked: [DatabaseEnumDeclaration] = []
        for entry in catalog.checkedColumns {
            let name = mapper.checkedEnumNames[entry.key]!
            if let index = checked.firstIndex(where: { $0.name == name }) {
                checked[index].sqlName += ", " + entry.key
                continue
            }
            let constraint = entry.table.constraints.first { constraint in
                if case .check = constraint.kind { DDLParser.columns(of: constraint, in: entry.table) == [entry.column.name] } else { false }
            }
            checked.append(DatabaseEnumDeclaration(
                access: access, name: name, sqlName: entry.key, checkedColumn: true,
                location: display(constraint?.location ?? entry.column.location), cases: Self.cases(entry.values)))
        }
        return typeEnums() + checked
    }

    /// The enum cases of `values`, named as Swift members (unique).
    static func cases(_ values: [String]) -> [StringEnumDeclaration.Case] {
        var used: Set<String> = []
        return values.map { value in
            var member = SwiftNaming.memberName(value)
            while used.contains(member) { member += "_" }
            used.insert(member)
            return StringEnumDeclaration.Case(name: member, raw: SwiftNaming.literal(value))
        }
    }

    private func typeEnums() -> [DatabaseEnumDeclaration] {
        catalog.enums.keys.sorted().map { name in
            let type = catalog.enums[name]!
            let cases = Self.cases(type.values)
            let swiftName = mapper.enumNames[name]!
            let machine = stateMachines[name].flatMap { schema in
                schema.stateMachine.map { machine in
                    StateMachineDeclaration(
                        access: access, type: swiftName, schema: schema.name, source: machine.location.map(display) ?? schema.sourceFile,
                        machine: machine, cases: cases)
                }
            }
            return DatabaseEnumDeclaration(
                access: access, name: swiftName, sqlName: name, location: display(type.location), cases: cases, stateMachine: machine)
        }
    }

    /// Swift members for result columns; nil when a type has no Swift mapping.
    func columnViews(_ columns: [(name: String, type: SQLType, nullable: Bool)]) -> [RowDeclaration.Column]? {
        var views: [RowDeclaration.Column] = []
        var used: Set<String> = []
        var ok = true
        for column in columns {
            // The analysis reports unmapped types (`sql-types`) and nothing is rendered then.
            guard let swiftType = mapper.swiftType(column.type) else {
                ok = false
                continue
            }
            var member = SwiftNaming.memberName(column.name)
            while used.contains(member) { member += "_" }
            used.insert(member)
            views.append(RowDeclaration.Column(
                sqlName: column.name, member: member, type: column.nullable ? .optional(swiftType) : swiftType, nullable: column.nullable,
                sqlType: column.type.description))
        }
        return ok ? views : nil
    }

    /// A table's row type and repository.
    enum TableDeclaration {
        case row(RowDeclaration)
        case repository(RepositoryDeclaration)
    }

    /// Row, insert type and repository of every table.
    func tables() -> [TableDeclaration] {
        var declarations: [TableDeclaration] = []
        for table in catalog.tables {
            let base = DatabaseTypeMapper.singularTypeName(table.name)
            guard let columns = columnViews(table.columns.map { ($0.name, $0.type, !$0.notNull) }) else { continue }
            let member = Dictionary(uniqueKeysWithValues: zip(table.columns.map(\.name), columns))
            declarations.append(.row(RowDeclaration(
                access: access, name: base + "Row", docLines: ["A row of `\(table.name)` (\(display(table.location)))."], columns: columns)))
            declarations.append(.repository(repository(table, base: base, member: member)))
        }
        return declarations
    }

    private func repository(_ table: TableModel, base: String, member: [String: RowDeclaration.Column]) -> RepositoryDeclaration {
        let generated = { (column: ColumnModel) in column.defaultExpression?.hasPrefix("generated") == true }
        let identifier = { (name: String) in Self.escaped(DatabaseTypeMapper.quoted(name)) }
        let throwing = { (name: String) in DatabaseTypeMapper.encodingThrows(table.column(name)!.type) }
        let insertColumns = table.columns.filter { !generated($0) }.map { column in
            let view = member[column.name]!
            return RepositoryDeclaration.InsertColumn(
                sqlName: column.name, sqlType: column.type.description, member: view.member,
                type: column.hasDefault ? view.type.optionalized : view.type, defaulted: column.hasDefault,
                defaultExpression: column.defaultExpression ?? "", quotedLiteral: SwiftNaming.literal(DatabaseTypeMapper.quoted(column.name)),
                throwing: DatabaseTypeMapper.encodingThrows(column.type))
        }
        func lookup(_ columns: [String], description: String) -> KeyLookup {
            let views = columns.map { member[$0]! }
            return KeyLookup(
                description: description,
                statementType: "FindBy" + views.map { SwiftNaming.typeName($0.member) }.joined(separator: "And") + "Statement",
                parameters: views.map { .init(member: $0.member, type: $0.type.unwrapped) },
                bindings: zip(columns, views).map { BindingAppend(name: $0.1.member, ofRow: false, throwing: throwing($0.0)) },
                conditions: columns.enumerated().map { SQLComparison(column: identifier($0.element), placeholder: $0.offset + 1) })
        }
        var keys: [KeyLookup] = []
        var primary: PrimaryKeyOperations?
        if let key = table.primaryKey {
            let versioned = table.column("version").map { ["bigint", "integer"].contains($0.type.name) && $0.notNull } ?? false
            let updatable = table.columns.filter { !key.contains($0.name) && !generated($0) && $0.name != "version" }
            var bindings: [BindingAppend] = []
            var assignments: [SQLAssignment] = []
            for column in updatable {
                if column.name == "updated_at", column.type.name.hasPrefix("timestamp") {
                    assignments.append(SQLAssignment(column: identifier(column.name), value: .now))
                } else {
                    bindings.append(BindingAppend(name: member[column.name]!.member, ofRow: true, throwing: throwing(column.name)))
                    assignments.append(SQLAssignment(column: identifier(column.name), value: .placeholder, placeholder: bindings.count))
                }
            }
            if versioned { assignments.append(SQLAssignment(column: identifier("version"), value: .increment)) }
            var conditions = key.map { name -> SQLComparison in
                bindings.append(BindingAppend(name: member[name]!.member, ofRow: true, throwing: throwing(name)))
                return SQLComparison(column: identifier(name), placeholder: bindings.count)
            }
            if versioned {
                bindings.append(BindingAppend(name: "version", ofRow: true, throwing: false))
                conditions.append(SQLComparison(column: identifier("version"), placeholder: bindings.count))
            }
            var keyset: PrimaryKeyOperations.Keyset?
            if key.allSatisfy({ mapper.isKeysetComponent(table.column($0)!.type) }) {
                let views = key.map { member[$0]! }
                keyset = PrimaryKeyOperations.Keyset(
                    cursorValues: views.enumerated().map { .init(index: $0.offset, type: $0.element.type) },
                    keyColumns: key.enumerated().map { SQLComparison(column: identifier($0.element), placeholder: $0.offset + 1) },
                    members: views.map(\.member))
            }
            let description = "primary key is (\(key.joined(separator: ", ")))"
            primary = PrimaryKeyOperations(
                lookup: lookup(key, description: description), keyMembers: key.map { member[$0]!.member }, hasUpdate: !updatable.isEmpty,
                versioned: versioned, updateBindings: bindings, assignments: assignments, updateConditions: conditions, keyset: keyset)
            keys.append(lookup(key, description: description))
        }
        for unique in table.uniqueKeys where unique != table.primaryKey {
            keys.append(lookup(unique, description: "(\(unique.joined(separator: ", "))) is unique"))
        }
        for index in catalog.indexes.values.sorted(by: { $0.name < $1.name }) where index.table == table.name && index.unique && index.predicate == nil {
            let columns = index.keys.compactMap { table.column($0) != nil ? $0 : nil }
            if columns.count == index.keys.count, columns != table.primaryKey, !table.uniqueKeys.contains(columns) {
                keys.append(lookup(columns, description: "(\(columns.joined(separator: ", "))) is unique (index \(index.name))"))
            }
        }
        return RepositoryDeclaration(
            access: access, table: table.name, tableLiteral: SwiftNaming.literal(table.name), quotedTable: identifier(table.name),
            location: display(table.location), rowType: base + "Row", newType: "New" + base, repositoryType: base + "Repository",
            columns: table.columns.map { identifier($0.name) }, insertColumns: insertColumns, keys: keys, primaryKey: primary)
    }

    /// SQL placed inside a Swift string literal by a template: quotes and backslashes escaped.
    static func escaped(_ sql: String) -> String {
        sql.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
    }

    /// The named-queries container and the row types of queries that do not return a whole table.
    func namedQueries() -> (container: NamedQueriesDeclaration, rows: [RowDeclaration]) {
        var functions: [NamedQueryFunction] = []
        var rows: [RowDeclaration] = []
        var descriptors: [NamedQueriesDeclaration.Descriptor] = []
        for query in queries {
            let columns = query.columns.map { ($0.name, $0.type, $0.nullable) }
            var rowType = ""
            if !columns.isEmpty {
                if let table = catalog.tables.first(where: { table in
                    table.columns.count == query.columns.count
                        && zip(table.columns, query.columns).allSatisfy { $0.name == $1.name && $0.type == $1.type && $0.notNull != $1.nullable }
                }) {
                    rowType = DatabaseTypeMapper.singularTypeName(table.name) + "Row"
                } else {
                    guard let views = columnViews(columns) else { continue }
                    rowType = query.name + "Row"
                    rows.append(RowDeclaration(
                        access: access, name: rowType, docLines: ["A row of the named query `\(query.name)` (\(display(query.location)))."],
                        columns: views))
                }
            }
            var parameters: [NamedQueryFunction.Parameter] = []
            var bindings: [BindingAppend] = []
            var ok = true
            for parameter in query.parameters {
                guard let type = mapper.swiftType(parameter.type) else {
                    ok = false
                    continue
                }
                let name = SwiftNaming.memberName(parameter.name)
                parameters.append(.init(name: name, type: parameter.nullable ? .optional(type) : type))
                bindings.append(BindingAppend(name: name, ofRow: false, throwing: DatabaseTypeMapper.encodingThrows(parameter.type)))
            }
            guard ok else { continue }
            let function = SwiftNaming.memberName(query.name)
            let kind: NamedQueryFunction.Kind = switch query.kind {
            case .one: .one
            case .many: .many
            case .exec: .exec
            case .execrows: .execrows
            }
            var doc = query.doc
            if !doc.isEmpty { doc.append("") }
            doc.append("`\(query.name)` (\(display(query.location))).")
            functions.append(NamedQueryFunction(
                docLines: doc, function: function, name: query.name, kind: kind, parameters: parameters, bindings: bindings,
                rowType: rowType, sqlName: function + "SQL", statementType: SwiftNaming.typeName(query.name) + "Statement",
                sqlLiteral: SwiftLiteral.raw(query.sql)))
            descriptors.append(NamedQueriesDeclaration.Descriptor(
                name: SwiftNaming.literal(query.name), sqlName: function + "SQL",
                parameterTypes: query.parameters.map { SwiftNaming.literal($0.type.description) },
                columns: query.columns.map { .init(name: SwiftNaming.literal($0.name), sqlType: SwiftNaming.literal($0.type.description)) }))
        }
        return (NamedQueriesDeclaration(access: access, queries: functions, descriptors: descriptors), rows)
    }
}
