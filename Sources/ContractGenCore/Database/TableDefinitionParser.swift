/// Column definitions and table constraints, as in CREATE TABLE and ALTER TABLE … ADD.
extension SQLCursor {
    /// Words that end a column's DEFAULT expression (they start the next column constraint).
    static let columnConstraintWords: Set<String> = [
        "not", "null", "primary", "unique", "check", "references", "constraint", "generated", "collate", "default",
        "deferrable", "initially",
    ]

    /// Whether a table constraint (rather than a column) comes next.
    var atTableConstraint: Bool {
        isWords("constraint") || isWords("primary", "key") || isWords("unique") || isWords("check")
            || isWords("foreign", "key") || isWords("exclude")
    }

    /// `name type [constraints…]`; the column and the constraints it declares inline.
    mutating func columnDefinition(table: String) throws(Failure) -> (ColumnModel, [ConstraintModel]) {
        let start = here
        let name = try identifier("a column name")
        let (type, serial) = try sqlType()
        var column = ColumnModel(
            name: name, type: type, notNull: serial, defaultExpression: serial ? "nextval('\(table)_\(name)_seq'::regclass)" : nil,
            location: start)
        var constraints: [ConstraintModel] = []
        while !atEnd, !isSymbol(","), !isSymbol(")") {
            let constraintStart = here
            let explicitName: String? = take("constraint") ? try identifier("a constraint name") : nil
            if take("not", "null") {
                column.notNull = true
            } else if take("null") {
                column.notNull = false
            } else if take("default") {
                if isWords("null") {
                    position += 1
                    column.defaultExpression = nil
                } else {
                    column.defaultExpression = try expression(stopWords: Self.columnConstraintWords)
                }
            } else if take("primary", "key") {
                column.notNull = true
                try skipIndexParameters()
                constraints.append(ConstraintModel(name: explicitName ?? "", kind: .primaryKey([name]), location: constraintStart))
            } else if take("unique") {
                _ = take("nulls", "not", "distinct") || take("nulls", "distinct")
                try skipIndexParameters()
                constraints.append(ConstraintModel(name: explicitName ?? "", kind: .unique([name]), location: constraintStart))
            } else if take("check") {
                let predicate = try parenthesised()
                _ = take("no", "inherit")
                constraints.append(ConstraintModel(name: explicitName ?? "", kind: .check(predicate), location: constraintStart))
            } else if take("references") {
                let kind = try references(columns: [name])
                constraints.append(ConstraintModel(name: explicitName ?? "", kind: kind, location: constraintStart))
            } else if take("generated") {
                if take("always", "as", "identity") || take("by", "default", "as", "identity") {
                    column.notNull = true
                    column.defaultExpression = "generated as identity"
                    if isSymbol("(") { _ = try parenthesised() }
                } else if take("always", "as") {
                    column.defaultExpression = "generated always as (\(try parenthesised())) stored"
                    try expect("stored")
                } else {
                    throw failure("expected ALWAYS AS IDENTITY, BY DEFAULT AS IDENTITY or ALWAYS AS (…) STORED")
                }
            } else if take("collate") {
                _ = try identifier("a collation")
            } else if try deferrability() {
            } else {
                throw failure("unexpected '\(current?.text ?? "")' in the definition of column \(name)")
            }
        }
        return (column, constraints)
    }

    /// `[CONSTRAINT name] PRIMARY KEY (…) | UNIQUE (…) | CHECK (…) | FOREIGN KEY (…) REFERENCES …`.
    mutating func tableConstraint() throws(Failure) -> ConstraintModel {
        let start = here
        let explicitName: String? = take("constraint") ? try identifier("a constraint name") : nil
        let kind: ConstraintModel.Kind
        if take("primary", "key") {
            kind = .primaryKey(try identifierList())
            try skipIndexParameters()
        } else if take("unique") {
            _ = take("nulls", "not", "distinct") || take("nulls", "distinct")
            kind = .unique(try identifierList())
            try skipIndexParameters()
        } else if take("check") {
            kind = .check(try parenthesised())
            _ = take("no", "inherit")
        } else if take("foreign", "key") {
            kind = try references(columns: identifierList(), expectKeyword: true)
        } else if isWords("exclude") {
            throw failure("EXCLUDE constraints are not supported by contractgen's catalog")
        } else {
            throw failure("expected PRIMARY KEY, UNIQUE, CHECK or FOREIGN KEY")
        }
        _ = try deferrability()
        _ = take("not", "valid")
        return ConstraintModel(name: explicitName ?? "", kind: kind, location: start)
    }

    /// `REFERENCES table [(columns)] [MATCH …] [ON DELETE action] [ON UPDATE action]`.
    private mutating func references(columns: [String], expectKeyword: Bool = false) throws(Failure) -> ConstraintModel.Kind {
        if expectKeyword { try expect("references") }
        let table = try identifier("a table name")
        let referenced = isSymbol("(") ? try identifierList() : []
        var onDelete: String?
        while true {
            if take("match") {
                _ = try identifier("FULL, PARTIAL or SIMPLE")
            } else if take("on", "delete") {
                onDelete = try referentialAction()
            } else if take("on", "update") {
                _ = try referentialAction()
            } else if try deferrability() {
            } else {
                break
            }
        }
        return .foreignKey(columns: columns, table: table, referencedColumns: referenced, onDelete: onDelete)
    }

    private mutating func referentialAction() throws(Failure) -> String {
        let action: String
        if take("cascade") { action = "CASCADE" }
        else if take("restrict") { action = "RESTRICT" }
        else if take("no", "action") { action = "NO ACTION" }
        else if take("set", "null") { action = "SET NULL" }
        else if take("set", "default") { action = "SET DEFAULT" }
        else { throw failure("expected CASCADE, RESTRICT, NO ACTION, SET NULL or SET DEFAULT") }
        if isSymbol("(") { _ = try identifierList() }
        return action
    }

    /// `[NOT] DEFERRABLE`, `INITIALLY DEFERRED|IMMEDIATE`; whether one was read.
    private mutating func deferrability() throws(Failure) -> Bool {
        if take("deferrable") || take("not", "deferrable") { return true }
        if take("initially") {
            guard take("deferred") || take("immediate") else { throw failure("expected DEFERRED or IMMEDIATE") }
            return true
        }
        return false
    }

    /// `INCLUDE (…)`, `WITH (…)`, `USING INDEX TABLESPACE name` after a key.
    private mutating func skipIndexParameters() throws(Failure) {
        while true {
            if take("include") || take("with") {
                try expectSymbol("(")
                _ = try expression()
                try expectSymbol(")")
            } else if take("using", "index", "tablespace") {
                _ = try identifier("a tablespace")
            } else {
                return
            }
        }
    }
}
