/// Builds the Swift view model of the database layer: an enum per PostgreSQL enum, a row type,
/// an insert type and a repository per table, and a typed function per named query.
struct DatabaseBuilder {
    let catalog: DatabaseCatalog
    let queries: [NamedQuery]
    let access: String
    let mapper: DatabaseTypeMapper
    let render: (String, [String: Any]) -> String
    /// Shows a path as diagnostics and doc comments do (`contracts/db/…`).
    let display: (SourceLocation) -> String

    init(catalog: DatabaseCatalog, queries: [NamedQuery], access: String, render: @escaping (String, [String: Any]) -> String,
         display: @escaping (SourceLocation) -> String) {
        self.catalog = catalog
        self.queries = queries
        self.access = access
        self.mapper = DatabaseTypeMapper(catalog: catalog)
        self.render = render
        self.display = display
    }

    func enums() -> [String] {
        catalog.enums.keys.sorted().map { name in
            let type = catalog.enums[name]!
            var used: Set<String> = []
            let cases: [[String: Any]] = type.values.map { value in
                var member = SwiftNaming.memberName(value)
                while used.contains(member) { member += "_" }
                used.insert(member)
                return ["name": member, "raw": SwiftNaming.literal(value)]
            }
            return render("db-enum", ["access": access, "name": mapper.enumNames[name]!, "sqlName": name, "location": display(type.location), "cases": cases])
        }
    }

    struct ColumnView {
        var sqlName: String
        var member: String
        var type: String
        var nullable: Bool
        var sqlType: String
    }

    /// Swift members for result columns; nil when a type has no Swift mapping.
    func columnViews(_ columns: [(name: String, type: SQLType, nullable: Bool)]) -> [ColumnView]? {
        var views: [ColumnView] = []
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
            views.append(ColumnView(
                sqlName: column.name, member: member, type: swiftType + (column.nullable ? "?" : ""), nullable: column.nullable,
                sqlType: column.type.description))
        }
        return ok ? views : nil
    }

    func row(name: String, docLines: [String], columns: [ColumnView]) -> String {
        render("db-row", [
            "access": access, "name": name, "docLines": docLines,
            "columns": columns.enumerated().map { index, column in
                ["sqlName": column.sqlName, "member": column.member, "type": column.type, "nullable": column.nullable, "sqlType": column.sqlType, "index": index] as [String: Any]
            },
            "initParameters": columns.map { "\($0.member): \($0.type)" }.joined(separator: ", "),
        ])
    }

    /// Row, insert type and repository of every table.
    func tables() -> [String] {
        var declarations: [String] = []
        for table in catalog.tables {
            let base = DatabaseTypeMapper.singularTypeName(table.name)
            guard let columns = columnViews(table.columns.map { ($0.name, $0.type, !$0.notNull) }) else { continue }
            let member = Dictionary(uniqueKeysWithValues: zip(table.columns.map(\.name), columns))
            declarations.append(row(name: base + "Row", docLines: ["/// A row of `\(table.name)` (\(display(table.location)))."], columns: columns))
            declarations.append(repository(table, base: base, member: member))
        }
        return declarations
    }

    private func repository(_ table: TableModel, base: String, member: [String: ColumnView]) -> String {
        let quotedTable = Self.escaped(DatabaseTypeMapper.quoted(table.name))
        let generated = { (column: ColumnModel) in column.defaultExpression?.hasPrefix("generated") == true }
        let insertColumns: [[String: Any]] = table.columns.filter { !generated($0) }.map { column in
            let view = member[column.name]!
            let defaulted = column.hasDefault
            return [
                "sqlName": column.name, "sqlType": column.type.description, "member": view.member,
                "type": defaulted && !view.type.hasSuffix("?") ? view.type + "?" : view.type, "defaulted": defaulted,
                "defaultExpression": column.defaultExpression ?? "", "quotedLiteral": SwiftNaming.literal(DatabaseTypeMapper.quoted(column.name)),
                "appendValue": DatabaseTypeMapper.append("value", column.type), "appendRow": DatabaseTypeMapper.append("row.\(view.member)", column.type),
            ]
        }
        func keyView(_ columns: [String], description: String) -> [String: Any] {
            let views = columns.map { member[$0]! }
            return [
                "description": description, "count": columns.count,
                "statementType": "FindBy" + views.map { SwiftNaming.typeName($0.member) }.joined(separator: "And") + "Statement",
                "parameters": views.map { "\($0.member): \($0.type.hasSuffix("?") ? String($0.type.dropLast()) : $0.type)" }.joined(separator: ", "),
                "members": zip(columns, views).map { DatabaseTypeMapper.append($0.1.member, table.column($0.0)!.type) },
                "condition": Self.escaped(columns.enumerated().map { "\(DatabaseTypeMapper.quoted($0.element)) = $\($0.offset + 1)" }.joined(separator: " AND ")),
            ]
        }
        var keys: [[String: Any]] = []
        var primary: [String: Any]? = nil
        if let key = table.primaryKey {
            var view = keyView(key, description: "primary key is (\(key.joined(separator: ", ")))")
            let versionColumn = table.column("version").flatMap { ["bigint", "integer"].contains($0.type.name) && $0.notNull ? $0 : nil }
            let updatable = table.columns.filter { !key.contains($0.name) && !generated($0) && $0.name != "version" }
            var bindings: [String] = []
            var assignments: [String] = []
            for column in updatable {
                if column.name == "updated_at", column.type.name.hasPrefix("timestamp") {
                    assignments.append("\(DatabaseTypeMapper.quoted(column.name)) = now()")
                } else {
                    bindings.append(DatabaseTypeMapper.append("row." + member[column.name]!.member, column.type))
                    assignments.append("\(DatabaseTypeMapper.quoted(column.name)) = $\(bindings.count)")
                }
            }
            if versionColumn != nil { assignments.append("\"version\" = \"version\" + 1") }
            var condition = key.map { name -> String in
                bindings.append(DatabaseTypeMapper.append("row." + member[name]!.member, table.column(name)!.type))
                return "\(DatabaseTypeMapper.quoted(name)) = $\(bindings.count)"
            }
            if versionColumn != nil {
                bindings.append("bindings.append(row.version)")
                condition.append("\"version\" = $\(bindings.count)")
            }
            view["hasUpdate"] = !updatable.isEmpty
            view["versioned"] = versionColumn != nil
            view["updateCount"] = bindings.count
            view["updateMembers"] = bindings
            view["assignments"] = Self.escaped(assignments.joined(separator: ", "))
            view["updateCondition"] = Self.escaped(condition.joined(separator: " AND "))
            view["findArguments"] = key.map { "\(member[$0]!.member): row.\(member[$0]!.member)" }.joined(separator: ", ")
            if key.allSatisfy({ mapper.isKeysetComponent(table.column($0)!.type) }) {
                let views = key.map { member[$0]! }
                let tuple = { (items: [String]) in items.count == 1 ? items[0] : "(" + items.joined(separator: ", ") + ")" }
                view["keyset"] = [
                    "keysetCapacity": key.count + 1,
                    "cursorValues": views.enumerated().map { ["index": $0.offset, "type": $0.element.type] as [String: Any] },
                    "keysetCondition": Self.escaped(tuple(key.map(DatabaseTypeMapper.quoted)) + " > " + tuple(key.indices.map { "$\($0 + 1)" })),
                    "orderBy": Self.escaped(key.map(DatabaseTypeMapper.quoted).joined(separator: ", ")),
                    "cursorTexts": views.map { "last.\($0.member).keysetText" }.joined(separator: ", "),
                ] as [String: Any]
            } else {
                view["keyset"] = false
            }
            primary = view
            keys.append(keyView(key, description: "primary key is (\(key.joined(separator: ", ")))"))
        }
        for unique in table.uniqueKeys where unique != table.primaryKey {
            keys.append(keyView(unique, description: "(\(unique.joined(separator: ", "))) is unique"))
        }
        for index in catalog.indexes.values.sorted(by: { $0.name < $1.name }) where index.table == table.name && index.unique && index.predicate == nil {
            let columns = index.keys.compactMap { table.column($0) != nil ? $0 : nil }
            if columns.count == index.keys.count, columns != table.primaryKey, !table.uniqueKeys.contains(columns) {
                keys.append(keyView(columns, description: "(\(columns.joined(separator: ", "))) is unique (index \(index.name))"))
            }
        }
        return render("db-repository", [
            "access": access, "table": table.name, "tableLiteral": SwiftNaming.literal(table.name), "quotedTable": quotedTable,
            "location": display(table.location), "rowType": base + "Row", "newType": "New" + base, "repositoryType": base + "Repository",
            "columnList": SwiftNaming.literal(table.columns.map { DatabaseTypeMapper.quoted($0.name) }.joined(separator: ", ")),
            "columnSQL": Self.escaped(table.columns.map { DatabaseTypeMapper.quoted($0.name) }.joined(separator: ", ")),
            "insertColumns": insertColumns, "insertCount": insertColumns.count,
            "newInitParameters": insertColumns.map { "\($0["member"]!): \($0["type"]!)" + (($0["type"] as! String).hasSuffix("?") ? " = nil" : "") }.joined(separator: ", "),
            "keys": keys, "primaryKey": primary.map { $0 as Any } ?? false, "hasUpdate": (primary?["hasUpdate"] as? Bool) ?? false,
            "versioned": (primary?["versioned"] as? Bool) ?? false,
            "keyed": (primary?["hasUpdate"] as? Bool) == true && primary?["keyset"] is [String: Any],
        ])
    }

    /// SQL placed inside a Swift string literal by a template: quotes and backslashes escaped.
    static func escaped(_ sql: String) -> String {
        sql.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
    }

    /// The named-queries container and the row types of queries that do not return a whole table.
    func namedQueries() -> (container: String, rows: [String]) {
        var functions: [String] = []
        var rows: [String] = []
        var descriptors: [[String: Any]] = []
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
                    rows.append(row(name: rowType, docLines: ["/// A row of the named query `\(query.name)` (\(display(query.location)))."], columns: views))
                }
            }
            var parameters: [String] = []
            var arguments: [String] = []
            var ok = true
            for parameter in query.parameters {
                guard let type = mapper.swiftType(parameter.type) else {
                    ok = false
                    continue
                }
                let name = SwiftNaming.memberName(parameter.name)
                parameters.append("\(name): \(type)\(parameter.nullable ? "?" : "")")
                arguments.append(DatabaseTypeMapper.append(name, parameter.type))
            }
            guard ok else { continue }
            let function = SwiftNaming.memberName(query.name)
            let sqlName = function + "SQL"
            let statementType = SwiftNaming.typeName(query.name) + "Statement"
            let returnType: String = switch query.kind {
            case .one: rowType + "?"
            case .many: "[\(rowType)]"
            case .exec: "Void"
            case .execrows: "Int"
            }
            var doc = query.doc.map { "/// " + $0 }
            if !doc.isEmpty { doc.append("///") }
            doc.append("/// `\(query.name)` (\(display(query.location))).")
            functions.append(render("db-query", [
                "access": access, "docLines": doc, "function": function, "name": query.name, "parameters": parameters.joined(separator: ", "),
                "returnType": returnType, "count": arguments.count, "arguments": arguments, "bindingsKeyword": arguments.isEmpty ? "let" : "var", "rowType": rowType, "sqlName": sqlName,
                "statementType": statementType, "prepared": query.kind == .one || query.kind == .many, "sqlLiteral": DeclarationBuilder.rawLiteral(query.sql), query.kind.rawValue: true,
            ]))
            descriptors.append([
                "name": SwiftNaming.literal(query.name), "sqlName": sqlName,
                "parameterTypes": query.parameters.map { SwiftNaming.literal($0.type.description) }.joined(separator: ", "),
                "columns": query.columns.map { ".init(\(SwiftNaming.literal($0.name)), \(SwiftNaming.literal($0.type.description)))" }.joined(separator: ", "),
            ])
        }
        return (render("db-queries", ["access": access, "queries": functions, "descriptors": descriptors]), rows)
    }
}
