import SQLSyntax

/// Replays migration statements into a `DatabaseCatalog`: CREATE/ALTER/DROP TABLE, CREATE TYPE …
/// AS ENUM, CREATE [UNIQUE] INDEX, row-level security and policies; functions, triggers,
/// extensions and sequences are recorded, data statements (INSERT, UPDATE, …) have no effect on
/// the schema. A statement it does not understand, or one that could not apply (a table that does
/// not exist), is a diagnostic at its place, never skipped silently.
struct DDLParser {
    private(set) var catalog: DatabaseCatalog
    private(set) var diagnostics = DiagnosticCollector()

    init(catalog: DatabaseCatalog = DatabaseCatalog()) {
        self.catalog = catalog
    }

    /// Applies every statement of `script`, read from `file` (the path diagnostics show).
    mutating func apply(script: String, file: String) {
        let (statements, syntaxError) = SQLStatement.splitRecovering(script)
        defer {
            if let syntaxError {
                diagnostics.error(syntaxError.message, at: SourceLocation(file: file, line: syntaxError.line, column: syntaxError.column), rule: "sql-syntax")
            }
        }
        let scalars = Array(script.unicodeScalars)
        for statement in statements {
            var cursor = SQLCursor(tokens: statement.tokens, file: file, script: scalars)
            do throws(SQLCursor.Failure) {
                try apply(&cursor)
                if !cursor.atEnd { throw cursor.failure("unexpected '\(cursor.current!.text)'") }
            } catch {
                diagnostics.error(error.message, at: error.location, rule: "sql-ddl")
            }
        }
    }

    private mutating func apply(_ c: inout SQLCursor) throws(SQLCursor.Failure) {
        let start = c.here
        if c.take("create") {
            let orReplace = c.take("or", "replace")
            let unique = c.take("unique")
            if !orReplace, !unique, c.take("table") { return try createTable(&c, at: start) }
            if !orReplace, !unique, c.take("type") { return try createType(&c, at: start) }
            if !orReplace, c.take("index") { return try createIndex(&c, unique: unique, at: start) }
            if !orReplace, !unique, c.take("policy") { return try createPolicy(&c, at: start) }
            if !unique, c.take("function") || c.take("procedure") {
                catalog.functions[try c.identifier("a function name")] = start
                return c.skipRest()
            }
            if !unique, c.take("trigger") || c.take("constraint", "trigger") {
                let name = try c.identifier("a trigger name")
                while !c.atEnd, !c.isWords("on") { c.position += 1 }
                try c.expect("on")
                let table = try c.identifier("a table name")
                guard catalog.table(table) != nil else { throw SQLCursor.Failure(message: "trigger \(name) is on table \(table), which does not exist", location: start) }
                catalog.triggers[table, default: [:]][name] = start
                return c.skipRest()
            }
            if !orReplace, !unique, c.take("extension") || c.take("sequence") || c.take("schema") || c.take("role") {
                return c.skipRest()
            }
            throw c.failure("contractgen's catalog does not understand this CREATE statement")
        }
        if c.take("alter", "table") { return try alterTable(&c, at: start) }
        if c.take("alter", "type") { return try alterType(&c, at: start) }
        if c.take("drop") { return try drop(&c, at: start) }
        if c.take("comment", "on") || c.take("grant") || c.take("revoke") || c.take("insert") || c.take("update")
            || c.take("delete") || c.take("select") || c.take("set") || c.take("analyze") || c.take("vacuum") {
            return c.skipRest()
        }
        if c.isWords("do") {
            diagnostics.warning("DO blocks are not interpreted; schema changes inside one are invisible to contractgen", at: start, rule: "sql-ddl")
            return c.skipRest()
        }
        if c.isWords("begin") || c.isWords("commit") {
            throw c.failure("the migrations runner wraps each migration in a transaction; remove BEGIN/COMMIT")
        }
        throw c.failure("contractgen's catalog does not understand this statement")
    }

    // MARK: - Tables

    private mutating func createTable(_ c: inout SQLCursor, at start: SourceLocation) throws(SQLCursor.Failure) {
        let ifNotExists = c.take("if", "not", "exists")
        let name = try c.identifier("a table name")
        if catalog.table(name) != nil {
            if ifNotExists { return c.skipRest() }
            throw SQLCursor.Failure(message: "table \(name) already exists", location: start)
        }
        var table = TableModel(name: name, columns: [], constraints: [], location: start)
        try c.expectSymbol("(")
        repeat {
            if c.isWords("like") { throw c.failure("CREATE TABLE … (LIKE …) is not supported by contractgen's catalog") }
            if c.atTableConstraint {
                table.constraints.append(try c.tableConstraint())
            } else {
                let (column, constraints) = try c.columnDefinition(table: name)
                if table.column(column.name) != nil { throw SQLCursor.Failure(message: "column \(column.name) is declared twice", location: column.location) }
                table.columns.append(column)
                table.constraints += constraints
            }
        } while c.takeSymbol(",")
        try c.expectSymbol(")")
        if !c.atEnd { throw c.failure("table options (INHERITS, PARTITION BY, WITH, TABLESPACE) are not supported by contractgen's catalog") }
        try finish(&table)
        catalog.addTable(table)
    }

    /// Checks constraint columns exist, marks primary-key columns NOT NULL and names unnamed
    /// constraints the way PostgreSQL does.
    private func finish(_ table: inout TableModel) throws(SQLCursor.Failure) {
        for column in table.columns where !SQLCursor.builtinTypes.contains(column.type.name) && catalog.enums[column.type.name] == nil {
            throw SQLCursor.Failure(message: "column \(column.name) has type \(column.type.name), which is neither a built-in type nor an enum created earlier", location: column.location)
        }
        var used = Set(table.constraints.map(\.name).filter { !$0.isEmpty })
        for index in table.constraints.indices {
            var constraint = table.constraints[index]
            try resolve(&constraint, in: table)
            if constraint.name.isEmpty {
                constraint.name = Self.defaultName(of: constraint, table: table, taken: used)
                used.insert(constraint.name)
            }
            table.constraints[index] = constraint
            if case .primaryKey(let columns) = constraint.kind {
                for column in columns { table.columns[table.columns.firstIndex { $0.name == column }!].notNull = true }
            }
        }
        if table.constraints.filter({ if case .primaryKey = $0.kind { true } else { false } }).count > 1 {
            throw SQLCursor.Failure(message: "table \(table.name) has more than one primary key", location: table.location)
        }
    }

    private func resolve(_ constraint: inout ConstraintModel, in table: TableModel) throws(SQLCursor.Failure) {
        let columns: [String]
        switch constraint.kind {
        case .primaryKey(let keys), .unique(let keys): columns = keys
        case .foreignKey(let keys, let target, var referenced, let onDelete):
            columns = keys
            let targetTable = target == table.name ? table : catalog.table(target)
            guard let targetTable else {
                throw SQLCursor.Failure(message: "\(table.name) references table \(target), which does not exist", location: constraint.location)
            }
            if referenced.isEmpty {
                guard let key = targetTable.primaryKey else {
                    throw SQLCursor.Failure(message: "table \(target) has no primary key to reference", location: constraint.location)
                }
                referenced = key
            }
            for column in referenced where targetTable.column(column) == nil {
                throw SQLCursor.Failure(message: "table \(target) has no column \(column)", location: constraint.location)
            }
            guard referenced.count == keys.count else {
                throw SQLCursor.Failure(message: "the foreign key has \(keys.count) columns but references \(referenced.count)", location: constraint.location)
            }
            constraint.kind = .foreignKey(columns: keys, table: target, referencedColumns: referenced, onDelete: onDelete)
        case .check: columns = []
        }
        for column in columns where table.column(column) == nil {
            throw SQLCursor.Failure(message: "table \(table.name) has no column \(column)", location: constraint.location)
        }
    }

    /// PostgreSQL's names for unnamed constraints: `t_pkey`, `t_a_b_key`, `t_a_fkey`, and `t_a_check`
    /// for a check on one column, `t_check` for a check on several.
    static func defaultName(of constraint: ConstraintModel, table: TableModel, taken: Set<String>) -> String {
        let base: String
        switch constraint.kind {
        case .primaryKey: base = "\(table.name)_pkey"
        case .unique(let columns): base = ([table.name] + columns + ["key"]).joined(separator: "_")
        case .foreignKey(let columns, _, _, _): base = ([table.name] + columns + ["fkey"]).joined(separator: "_")
        case .check(let predicate):
            let columns = checkColumns(predicate, in: table)
            base = ([table.name] + (columns.count == 1 ? columns : []) + ["check"]).joined(separator: "_")
        }
        var name = base
        var counter = 1
        while taken.contains(name) {
            name = base + String(counter)
            counter += 1
        }
        return name
    }

    private mutating func alterTable(_ c: inout SQLCursor, at start: SourceLocation) throws(SQLCursor.Failure) {
        let ifExists = c.take("if", "exists")
        _ = c.take("only")
        let name = try c.identifier("a table name")
        guard var table = catalog.table(name) else {
            if ifExists { return c.skipRest() }
            throw SQLCursor.Failure(message: "table \(name) does not exist", location: start)
        }
        if c.take("rename", "to") {
            let newName = try c.identifier("a table name")
            guard catalog.table(newName) == nil else { throw SQLCursor.Failure(message: "table \(newName) already exists", location: start) }
            table.name = newName
            _ = catalog.updateTable(name) { $0 = table }
            for other in catalog.tables {
                _ = catalog.updateTable(other.name) { table in
                    table.constraints = table.constraints.map { constraint in
                        guard case .foreignKey(let columns, name, let referenced, let onDelete) = constraint.kind else { return constraint }
                        var renamed = constraint
                        renamed.kind = .foreignKey(columns: columns, table: newName, referencedColumns: referenced, onDelete: onDelete)
                        return renamed
                    }
                }
            }
            for (key, index) in catalog.indexes where index.table == name { catalog.indexes[key]?.table = newName }
            catalog.triggers[newName] = catalog.triggers.removeValue(forKey: name)
            return
        }
        repeat {
            try alterAction(&c, table: &table)
        } while c.takeSymbol(",")
        try finish(&table)
        _ = catalog.updateTable(name) { $0 = table }
    }

    private mutating func alterAction(_ c: inout SQLCursor, table: inout TableModel) throws(SQLCursor.Failure) {
        let start = c.here
        if c.take("add") {
            if c.atTableConstraint {
                table.constraints.append(try c.tableConstraint())
                return
            }
            _ = c.take("column")
            let ifNotExists = c.take("if", "not", "exists")
            let (column, constraints) = try c.columnDefinition(table: table.name)
            if table.column(column.name) != nil {
                if ifNotExists { return }
                throw SQLCursor.Failure(message: "column \(column.name) of \(table.name) already exists", location: start)
            }
            table.columns.append(column)
            table.constraints += constraints
            return
        }
        if c.take("drop", "constraint") {
            let ifExists = c.take("if", "exists")
            let name = try c.identifier("a constraint name")
            _ = c.take("cascade") || c.take("restrict")
            guard table.constraints.contains(where: { $0.name == name }) else {
                if ifExists { return }
                throw SQLCursor.Failure(message: "table \(table.name) has no constraint \(name)", location: start)
            }
            table.constraints.removeAll { $0.name == name }
            return
        }
        if c.take("drop") {
            _ = c.take("column")
            let ifExists = c.take("if", "exists")
            let name = try c.identifier("a column name")
            _ = c.take("cascade") || c.take("restrict")
            guard table.column(name) != nil else {
                if ifExists { return }
                throw SQLCursor.Failure(message: "table \(table.name) has no column \(name)", location: start)
            }
            let before = table
            table.columns.removeAll { $0.name == name }
            table.constraints.removeAll { Self.columns(of: $0, in: before).contains(name) }
            let tableName = table.name
            catalog.indexes = catalog.indexes.filter { $0.value.table != tableName || !$0.value.keys.contains { Self.mentions($0, name) } }
            return
        }
        if c.take("alter") {
            _ = c.take("column")
            let name = try c.identifier("a column name")
            guard let index = table.columns.firstIndex(where: { $0.name == name }) else {
                throw SQLCursor.Failure(message: "table \(table.name) has no column \(name)", location: start)
            }
            if c.take("type") || c.take("set", "data", "type") {
                table.columns[index].type = try c.sqlType().type
                if c.take("collate") { _ = try c.identifier("a collation") }
                if c.take("using") { _ = try c.expression() }
            } else if c.take("set", "default") {
                table.columns[index].defaultExpression = try c.expression()
            } else if c.take("drop", "default") {
                table.columns[index].defaultExpression = nil
            } else if c.take("set", "not", "null") {
                table.columns[index].notNull = true
            } else if c.take("drop", "not", "null") {
                if table.primaryKey?.contains(name) == true {
                    throw SQLCursor.Failure(message: "column \(name) is in the primary key of \(table.name)", location: start)
                }
                table.columns[index].notNull = false
            } else {
                throw c.failure("expected TYPE, SET DEFAULT, DROP DEFAULT, SET NOT NULL or DROP NOT NULL")
            }
            return
        }
        if c.take("rename") {
            if c.take("constraint") {
                let old = try c.identifier("a constraint name")
                try c.expect("to")
                let new = try c.identifier("a constraint name")
                guard let index = table.constraints.firstIndex(where: { $0.name == old }) else {
                    throw SQLCursor.Failure(message: "table \(table.name) has no constraint \(old)", location: start)
                }
                table.constraints[index].name = new
                return
            }
            _ = c.take("column")
            let old = try c.identifier("a column name")
            try c.expect("to")
            let new = try c.identifier("a column name")
            guard let index = table.columns.firstIndex(where: { $0.name == old }) else {
                throw SQLCursor.Failure(message: "table \(table.name) has no column \(old)", location: start)
            }
            guard table.column(new) == nil else { throw SQLCursor.Failure(message: "column \(new) of \(table.name) already exists", location: start) }
            table.columns[index].name = new
            table.constraints = table.constraints.map { Self.renaming(old, to: new, in: $0) }
            return
        }
        if c.take("enable", "row", "level", "security") { table.rowLevelSecurity = true; return }
        if c.take("disable", "row", "level", "security") { table.rowLevelSecurity = false; return }
        if c.take("force", "row", "level", "security") { table.forceRowLevelSecurity = true; return }
        if c.take("no", "force", "row", "level", "security") { table.forceRowLevelSecurity = false; return }
        if c.take("owner", "to") { _ = try c.identifier("a role"); return }
        throw c.failure("contractgen's catalog does not understand this ALTER TABLE action")
    }

    /// The columns a constraint involves (for a check, those its predicate names).
    static func columns(of constraint: ConstraintModel, in table: TableModel) -> [String] {
        switch constraint.kind {
        case .primaryKey(let columns), .unique(let columns): columns
        case .foreignKey(let columns, _, _, _): columns
        case .check(let predicate): checkColumns(predicate, in: table)
        }
    }

    /// The distinct columns of `table` a check predicate names, in order of first mention.
    static func checkColumns(_ predicate: String, in table: TableModel) -> [String] {
        var names: [String] = []
        let tokens = (try? SQLLexer.tokenize(predicate)) ?? []
        for (index, token) in tokens.enumerated() {
            guard let name = token.identifier, table.column(name) != nil, !names.contains(name) else { continue }
            if index + 1 < tokens.count, tokens[index + 1].isSymbol("(") { continue }
            names.append(name)
        }
        return names
    }

    private static func renaming(_ old: String, to new: String, in constraint: ConstraintModel) -> ConstraintModel {
        var result = constraint
        let rename = { (columns: [String]) in columns.map { $0 == old ? new : $0 } }
        switch constraint.kind {
        case .primaryKey(let columns): result.kind = .primaryKey(rename(columns))
        case .unique(let columns): result.kind = .unique(rename(columns))
        case .foreignKey(let columns, let table, let referenced, let onDelete):
            result.kind = .foreignKey(columns: rename(columns), table: table, referencedColumns: referenced, onDelete: onDelete)
        case .check: break
        }
        return result
    }

    /// Whether an index key expression names `column`.
    private static func mentions(_ key: String, _ column: String) -> Bool {
        ((try? SQLLexer.tokenize(key)) ?? []).contains { $0.identifier == column }
    }

    // MARK: - Types, indexes, policies

    private mutating func createType(_ c: inout SQLCursor, at start: SourceLocation) throws(SQLCursor.Failure) {
        let name = try c.identifier("a type name")
        guard c.take("as", "enum") else { throw c.failure("only CREATE TYPE … AS ENUM is supported by contractgen's catalog") }
        guard catalog.enums[name] == nil, catalog.table(name) == nil else { throw SQLCursor.Failure(message: "type \(name) already exists", location: start) }
        try c.expectSymbol("(")
        var values: [String] = []
        if !c.isSymbol(")") {
            repeat {
                guard let token = c.current, token.kind == .string else { throw c.failure("expected an enum label in quotes") }
                guard !values.contains(token.text) else { throw c.failure("enum label '\(token.text)' is repeated") }
                values.append(token.text)
                c.position += 1
            } while c.takeSymbol(",")
        }
        try c.expectSymbol(")")
        catalog.enums[name] = EnumType(name: name, values: values, location: start)
    }

    private mutating func alterType(_ c: inout SQLCursor, at start: SourceLocation) throws(SQLCursor.Failure) {
        let name = try c.identifier("a type name")
        guard var type = catalog.enums[name] else { throw SQLCursor.Failure(message: "enum type \(name) does not exist", location: start) }
        if c.take("add", "value") {
            let ifNotExists = c.take("if", "not", "exists")
            guard let token = c.current, token.kind == .string else { throw c.failure("expected an enum label in quotes") }
            c.position += 1
            if type.values.contains(token.text) {
                if ifNotExists { return }
                throw SQLCursor.Failure(message: "enum \(name) already has the label '\(token.text)'", location: start)
            }
            var position = type.values.count
            if c.isWords("before") || c.isWords("after") {
                let before = c.take("before")
                if !before { c.position += 1 }
                guard let neighbour = c.current, neighbour.kind == .string, let index = type.values.firstIndex(of: neighbour.text) else {
                    throw c.failure("expected an existing label of \(name)")
                }
                c.position += 1
                position = before ? index : index + 1
            }
            type.values.insert(token.text, at: position)
        } else if c.take("rename", "value") {
            guard let old = c.current, old.kind == .string, let index = type.values.firstIndex(of: old.text) else { throw c.failure("expected an existing label of \(name)") }
            c.position += 1
            try c.expect("to")
            guard let new = c.current, new.kind == .string else { throw c.failure("expected the new label in quotes") }
            c.position += 1
            type.values[index] = new.text
        } else {
            throw c.failure("expected ADD VALUE or RENAME VALUE")
        }
        catalog.enums[name] = type
    }

    private mutating func createIndex(_ c: inout SQLCursor, unique: Bool, at start: SourceLocation) throws(SQLCursor.Failure) {
        _ = c.take("concurrently")
        let ifNotExists = c.take("if", "not", "exists")
        var name: String?
        if !c.isWords("on") { name = try c.identifier("an index name") }
        try c.expect("on")
        _ = c.take("only")
        let table = try c.identifier("a table name")
        guard let model = catalog.table(table) else { throw SQLCursor.Failure(message: "table \(table) does not exist", location: start) }
        if c.take("using") { _ = try c.identifier("an index method") }
        try c.expectSymbol("(")
        var keys: [String] = []
        repeat { keys.append(try c.expression()) } while c.takeSymbol(",")
        try c.expectSymbol(")")
        for key in keys {
            let tokens = (try? SQLLexer.tokenize(key)) ?? []
            if tokens.count >= 1, let column = tokens[0].identifier, tokens.count == 1 || tokens[1].kind == .word, model.column(column) == nil {
                throw SQLCursor.Failure(message: "table \(table) has no column \(column)", location: start)
            }
        }
        if c.take("include") { _ = try c.identifierList() }
        if c.take("nulls", "not", "distinct") || c.take("nulls", "distinct") {}
        if c.take("with") { _ = try c.parenthesised() }
        var predicate: String?
        if c.take("where") { predicate = try c.expression(stopSymbols: []) }
        let indexName = name ?? Self.defaultIndexName(table: table, keys: keys, taken: Set(catalog.indexes.keys))
        if catalog.indexes[indexName] != nil {
            if ifNotExists { return }
            throw SQLCursor.Failure(message: "index \(indexName) already exists", location: start)
        }
        catalog.indexes[indexName] = IndexModel(name: indexName, table: table, keys: keys, unique: unique, predicate: predicate, location: start)
    }

    /// PostgreSQL's name for an unnamed index: `table_col1_col2_idx` (expressions count as `expr`).
    static func defaultIndexName(table: String, keys: [String], taken: Set<String>) -> String {
        let parts = keys.map { key -> String in
            let tokens = (try? SQLLexer.tokenize(key)) ?? []
            return tokens.first?.identifier.flatMap { tokens.count == 1 || tokens[1].kind == .word ? $0 : nil } ?? "expr"
        }
        let base = ([table] + parts + ["idx"]).joined(separator: "_")
        var name = base
        var counter = 1
        while taken.contains(name) { name = base + String(counter); counter += 1 }
        return name
    }

    private mutating func createPolicy(_ c: inout SQLCursor, at start: SourceLocation) throws(SQLCursor.Failure) {
        let name = try c.identifier("a policy name")
        try c.expect("on")
        let tableName = try c.identifier("a table name")
        guard var table = catalog.table(tableName) else { throw SQLCursor.Failure(message: "table \(tableName) does not exist", location: start) }
        guard table.policies[name] == nil else { throw SQLCursor.Failure(message: "policy \(name) on \(tableName) already exists", location: start) }
        var policy = PolicyModel(name: name, command: "ALL", location: start)
        if c.take("as") { _ = c.take("permissive") || c.take("restrictive") }
        if c.take("for") {
            guard let command = c.current, command.kind == .word,
                  ["all", "select", "insert", "update", "delete"].contains(command.text.lowercased()) else {
                throw c.failure("expected ALL, SELECT, INSERT, UPDATE or DELETE")
            }
            policy.command = command.text.uppercased()
            c.position += 1
        }
        if c.take("to") {
            repeat { _ = try c.identifier("a role") } while c.takeSymbol(",")
        }
        if c.take("using") { policy.using = try c.parenthesised() }
        if c.take("with", "check") { policy.withCheck = try c.parenthesised() }
        table.policies[name] = policy
        _ = catalog.updateTable(tableName) { $0 = table }
    }

    // MARK: - DROP

    private mutating func drop(_ c: inout SQLCursor, at start: SourceLocation) throws(SQLCursor.Failure) {
        let cascade = c.tokens.last?.isWord("cascade") == true
        if c.take("table") {
            let ifExists = c.take("if", "exists")
            var names: [String] = []
            repeat { names.append(try c.identifier("a table name")) } while c.takeSymbol(",")
            for name in names {
                guard catalog.table(name) != nil else {
                    if !ifExists { throw SQLCursor.Failure(message: "table \(name) does not exist", location: start) }
                    continue
                }
                for other in catalog.tables where !names.contains(other.name) {
                    let referencing = other.constraints.filter {
                        if case .foreignKey(_, let target, _, _) = $0.kind { target == name } else { false }
                    }
                    guard !referencing.isEmpty else { continue }
                    guard cascade else {
                        throw SQLCursor.Failure(message: "table \(name) is still referenced by \(other.name) (\(referencing[0].name)); drop that first or use CASCADE", location: start)
                    }
                    _ = catalog.updateTable(other.name) { table in table.constraints.removeAll { referencing.contains($0) } }
                }
                catalog.removeTable(name)
            }
        } else if c.take("type") {
            let ifExists = c.take("if", "exists")
            repeat {
                let name = try c.identifier("a type name")
                if catalog.enums.removeValue(forKey: name) == nil, !ifExists {
                    throw SQLCursor.Failure(message: "type \(name) does not exist", location: start)
                }
                if let user = catalog.tables.first(where: { $0.columns.contains { $0.type.name == name } }), !cascade {
                    throw SQLCursor.Failure(message: "type \(name) is still used by table \(user.name)", location: start)
                }
            } while c.takeSymbol(",")
        } else if c.take("index") {
            _ = c.take("concurrently")
            let ifExists = c.take("if", "exists")
            repeat {
                let name = try c.identifier("an index name")
                if catalog.indexes.removeValue(forKey: name) == nil, !ifExists {
                    throw SQLCursor.Failure(message: "index \(name) does not exist", location: start)
                }
            } while c.takeSymbol(",")
        } else if c.take("policy") {
            let ifExists = c.take("if", "exists")
            let name = try c.identifier("a policy name")
            try c.expect("on")
            let tableName = try c.identifier("a table name")
            var removed = false
            _ = catalog.updateTable(tableName) { removed = $0.policies.removeValue(forKey: name) != nil }
            if !removed, !ifExists { throw SQLCursor.Failure(message: "policy \(name) on \(tableName) does not exist", location: start) }
        } else if c.take("function") || c.take("procedure") {
            let ifExists = c.take("if", "exists")
            let name = try c.identifier("a function name")
            if catalog.functions.removeValue(forKey: name) == nil, !ifExists {
                throw SQLCursor.Failure(message: "function \(name) does not exist", location: start)
            }
            return c.skipRest()
        } else if c.take("trigger") {
            let ifExists = c.take("if", "exists")
            let name = try c.identifier("a trigger name")
            try c.expect("on")
            let table = try c.identifier("a table name")
            if catalog.triggers[table]?.removeValue(forKey: name) == nil, !ifExists {
                throw SQLCursor.Failure(message: "trigger \(name) on \(table) does not exist", location: start)
            }
        } else if c.take("extension") || c.take("sequence") || c.take("schema") || c.take("role") {
            return c.skipRest()
        } else {
            throw c.failure("contractgen's catalog does not understand this DROP statement")
        }
        _ = c.take("cascade") || c.take("restrict")
    }
}
