import SQLSyntax

/// Checks the named queries that move a state in SQL against the contract's `x-state-machine`. A
/// column is governed when a schema bound to its table (`x-table`) has a field of a state-machine
/// enum (`Task.status` → `tasks.status` of `TaskStatus`). An `UPDATE` of that table that sets the
/// column to a literal state must say which states it moves from — the literal states the statement
/// compares the column with (`WHERE status = 'QUEUED'`, `status IN (…)`, in a CTE of the same
/// statement too) — and each of those moves must be one the contract allows. A state set from a
/// parameter (`SET status = $3`) is the calling code's to check (with the generated table).
enum StateMachineGuards {
    static let rule = "state-machine-sql"

    /// A column whose values follow a state machine.
    struct GovernedColumn {
        var table: String
        var column: String
        var schema: String
        var machine: StateMachineModel
    }

    static func check(_ model: ContractModel, queries: [NamedQuery]) -> [Diagnostic] {
        let governed = governedColumns(model)
        guard !governed.isEmpty else { return [] }
        var diagnostics = DiagnosticCollector()
        let tables = Set(governed.map(\.table))
        for query in queries {
            // Only an UPDATE of a governed table can move a state: most queries are not read further.
            let text = query.sql.lowercased()
            guard text.contains("update"), tables.contains(where: text.contains), let tokens = try? SQLLexer.tokenize(query.sql) else { continue }
            for column in governed {
                check(query, tokens: tokens, column: column, into: &diagnostics)
            }
        }
        return diagnostics.diagnostics
    }

    /// The columns bound to a state-machine enum through `x-table`.
    static func governedColumns(_ model: ContractModel) -> [GovernedColumn] {
        let machines = Dictionary(model.schemas.compactMap { named in named.stateMachine.map { (named.name, $0) } }, uniquingKeysWith: { first, _ in first })
        guard !machines.isEmpty else { return [] }
        var columns: [GovernedColumn] = []
        for named in model.schemas {
            guard case .object(let object) = named.schema.shape, let table = object.table else { continue }
            for property in object.properties where !property.computed {
                guard case .reference(let target) = property.schema.shape, let machine = machines[target] else { continue }
                columns.append(GovernedColumn(table: table, column: TableBindingChecker.snakeCase(property.name), schema: target, machine: machine))
            }
        }
        return columns
    }

    /// The schemas whose state machine columns of a PostgreSQL enum type follow, by the enum's name
    /// (the database layer gives that enum the same moves).
    static func enumStateMachines(_ model: ContractModel, catalog: DatabaseCatalog) -> [String: NamedSchema] {
        let schemas = Dictionary(model.schemas.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var result: [String: NamedSchema] = [:]
        for governed in governedColumns(model) {
            guard let type = catalog.table(governed.table)?.column(governed.column)?.type, !type.isArray, catalog.enums[type.name] != nil,
                  result[type.name] == nil
            else { continue }
            result[type.name] = schemas[governed.schema]
        }
        return result
    }

    private static func check(_ query: NamedQuery, tokens: [SQLToken], column: GovernedColumn, into diagnostics: inout DiagnosticCollector) {
        let states = Set(column.machine.states)
        var targets: [(state: String, token: SQLToken)] = []
        var assignmentTokens: Set<Int> = []
        for (index, token) in tokens.enumerated() where token.isWord("update") {
            var next = index + 1
            if next < tokens.count, tokens[next].isWord("only") { next += 1 }
            guard next < tokens.count, tokens[next].identifier == column.table else { continue }
            for assignment in assignments(tokens, after: next) where assignment.column == column.column {
                assignmentTokens.insert(assignment.valueIndex)
                let value = tokens[assignment.valueIndex]
                if value.kind == .string, states.contains(value.text) { targets.append((value.text, value)) }
            }
        }
        guard !targets.isEmpty else { return }
        let from = comparedStates(tokens, column: column.column, states: states, excluding: assignmentTokens)
        for target in targets {
            let location = self.location(of: target.token, in: query)
            if from.isEmpty {
                diagnostics.error(
                    "query \(query.name) moves \(column.table).\(column.column) to '\(target.state)' from any state; say from which "
                        + "(WHERE \(column.column) = '…' or IN (…)) so the move can be checked against \(column.schema)'s x-state-machine",
                    at: location, rule: rule)
                continue
            }
            for source in from.sorted() where !column.machine.allows(from: source, to: target.state) {
                diagnostics.error(
                    "query \(query.name) moves \(column.table).\(column.column) from '\(source)' to '\(target.state)', which \(column.schema)'s x-state-machine does not allow",
                    at: location, rule: rule)
            }
        }
    }

    /// The `column = value` assignments of the `SET` clause of the `UPDATE` whose table is at
    /// `tableIndex`: the column's name and the index of the value's first token.
    private static func assignments(_ tokens: [SQLToken], after tableIndex: Int) -> [(column: String, valueIndex: Int)] {
        var index = tableIndex + 1
        var depth = 0
        while index < tokens.count, !(depth == 0 && tokens[index].isWord("set")) {
            if tokens[index].isSymbol("(") { depth += 1 }
            if tokens[index].isSymbol(")") { depth -= 1; if depth < 0 { return [] } }
            index += 1
        }
        var result: [(column: String, valueIndex: Int)] = []
        var expectingColumn = true
        index += 1
        while index < tokens.count {
            let token = tokens[index]
            if token.isSymbol("(") { depth += 1 }
            if token.isSymbol(")") { depth -= 1; if depth < 0 { break } }
            if depth == 0 {
                if ["from", "where", "returning"].contains(where: token.isWord) { break }
                if token.isSymbol(",") { expectingColumn = true }
                if expectingColumn, let name = token.identifier, index + 1 < tokens.count {
                    var equals = index + 1
                    var columnName = name
                    // `t.status` names the column after the dot.
                    if tokens[equals].isSymbol("."), equals + 1 < tokens.count, let qualified = tokens[equals + 1].identifier {
                        columnName = qualified
                        equals += 2
                    }
                    if equals + 1 < tokens.count, tokens[equals].isSymbol("=") {
                        result.append((columnName, equals + 1))
                        expectingColumn = false
                        index = equals + 1
                        continue
                    }
                }
            }
            index += 1
        }
        return result
    }

    /// The literal states the statement compares `column` with (`= 'X'`, `IN ('X', 'Y')`), outside
    /// the assignments at `excluded`; a comparison naming a value that is not a state (another
    /// table's `status`) is not counted.
    private static func comparedStates(_ tokens: [SQLToken], column: String, states: Set<String>, excluding excluded: Set<Int>) -> Set<String> {
        var found: Set<String> = []
        for (index, token) in tokens.enumerated() where token.identifier == column && index + 1 < tokens.count {
            let next = index + 1
            if tokens[next].isSymbol("="), next + 1 < tokens.count, !excluded.contains(next + 1) {
                let value = tokens[next + 1]
                if value.kind == .string, states.contains(value.text) { found.insert(value.text) }
            } else if tokens[next].isWord("in"), next + 1 < tokens.count, tokens[next + 1].isSymbol("(") {
                var literals: [String] = []
                var cursor = next + 2
                while cursor < tokens.count, !tokens[cursor].isSymbol(")") {
                    if tokens[cursor].kind == .string { literals.append(tokens[cursor].text) } else if !tokens[cursor].isSymbol(",") { literals = []; break }
                    cursor += 1
                }
                if !literals.isEmpty, literals.allSatisfy(states.contains) { found.formUnion(literals) }
            }
        }
        return found
    }

    /// Where `token` of the query's statement is in its file.
    private static func location(of token: SQLToken, in query: NamedQuery) -> SourceLocation {
        SourceLocation(
            file: query.location.file, line: query.location.line + token.line - 1,
            column: token.line == 1 ? query.location.column + token.column - 1 : token.column)
    }
}
