import SQLSyntax

/// Infers the parameter and result types of a named query from the catalog, the way sqlc does:
/// result columns from the tables in scope (`*`, `t.*`, `t.col`), casts and a few well-known
/// functions; parameters from casts (`$1::uuid`), comparisons with a column (`col = $1`,
/// `col IN ($1)`, `col = ANY($1)`), the column an INSERT or UPDATE stores them in, and
/// LIMIT/OFFSET. What it cannot infer is a diagnostic asking for a cast — never a guess.
struct QueryAnalyzer {
    let catalog: DatabaseCatalog
    private(set) var diagnostics = DiagnosticCollector()

    init(catalog: DatabaseCatalog) {
        self.catalog = catalog
    }

    /// A relation in scope: a table, a CTE or a subquery, under the name queries use for it.
    struct Relation {
        var alias: String
        var columns: [QueryColumn]
        /// Columns read through the nullable side of an outer join.
        var nullable = false
    }

    /// What is known about `$n` so far.
    struct ParameterFact {
        var type: SQLType?
        var nullable = false
        var nameHint: String?
    }

    var parameters: [Int: ParameterFact] = [:]
    /// False while reading a SELECT whose values only feed an INSERT.
    var collectingResults = true
    var ctes: [String: [QueryColumn]] = [:]
    var file = ""
    var script: [Unicode.Scalar] = []

    /// Analyzes one query; nil (with diagnostics) when a type cannot be inferred.
    mutating func analyze(_ entry: QueryFileParser.Entry, script text: [Unicode.Scalar]) -> NamedQuery? {
        parameters = [:]
        ctes = [:]
        file = entry.location.file
        script = text
        let before = diagnostics.diagnostics.count
        let tokens = entry.statement.tokens
        var columns: [QueryColumn] = []
        do {
            columns = try statement(tokens[...], outer: [])
        } catch {
            diagnostics.error(error.message, at: error.location, rule: "sql-query")
            return nil
        }
        let highest = tokens.compactMap { if case .parameter(let n) = $0.kind { n } else { nil } }.max() ?? 0
        var result: [QueryParameter] = []
        var usedNames: Set<String> = []
        for index in 1...max(highest, 1) where highest > 0 {
            guard let fact = parameters[index], let type = fact.type else {
                let token = tokens.first { $0.kind == .parameter(index) }
                diagnostics.error(
                    token == nil ? "$\(index) is never used; number the parameters $1, $2, … without gaps"
                        : "cannot infer the type of $\(index); compare it with a column or add a cast ($\(index)::type)",
                    at: location(token ?? tokens[0]), rule: "sql-query")
                continue
            }
            var name = index <= entry.parameterNames.count ? entry.parameterNames[index - 1] : fact.nameHint.map(SwiftNaming.memberName) ?? ""
            if name.isEmpty {
                // Nothing names it (no `-- params:` entry, not compared with or stored in a column).
                name = "p\(index)"
                diagnostics.warning(
                    "query \(entry.name): nothing names $\(index) (it would be called \(name)); list the parameters in a `-- params:` line",
                    at: entry.location, rule: "sql-param-name")
            }
            while usedNames.contains(name) { name += String(index) }
            usedNames.insert(name)
            result.append(QueryParameter(index: index, name: name, type: type, nullable: fact.nullable))
        }
        if entry.kind == .exec || entry.kind == .execrows, !columns.isEmpty {
            diagnostics.error("a :\(entry.kind.rawValue) query returns no rows; remove RETURNING or make it :one or :many", at: entry.location, rule: "sql-query")
        }
        if entry.kind == .one || entry.kind == .many, columns.isEmpty {
            diagnostics.error("a :\(entry.kind.rawValue) query must return columns (SELECT or RETURNING)", at: entry.location, rule: "sql-query")
        }
        var seen: Set<String> = []
        for column in columns where !seen.insert(column.name).inserted {
            diagnostics.error("result column \(column.name) appears twice; give one an alias", at: entry.location, rule: "sql-query")
        }
        // Only errors make the query unusable; a warning (an unnamed parameter) keeps it.
        guard !diagnostics.diagnostics.dropFirst(before).contains(where: { $0.severity == .error }) else { return nil }
        return NamedQuery(
            name: entry.name, kind: entry.kind, sql: entry.statement.text, doc: entry.doc, parameters: result, columns: columns,
            location: entry.location)
    }

    func location(_ token: SQLToken) -> SourceLocation {
        SourceLocation(file: file, line: token.line, column: token.column)
    }

    func failure(_ message: String, at token: SQLToken?) -> SQLCursor.Failure {
        SQLCursor.Failure(message: message, location: token.map(location) ?? SourceLocation(file: file, line: 1, column: 1))
    }

    func text(_ tokens: ArraySlice<SQLToken>) -> String {
        guard let first = tokens.first, let last = tokens.last else { return "" }
        return String(String.UnicodeScalarView(script[first.start..<last.end]))
    }

    // MARK: - Statements

    /// A statement (or subquery): its result columns. `outer` is the scope of enclosing queries.
    mutating func statement(_ tokens: ArraySlice<SQLToken>, outer: [Relation]) throws(SQLCursor.Failure) -> [QueryColumn] {
        var rest = tokens
        if rest.first?.isWord("with") == true {
            rest = rest.dropFirst()
            if rest.first?.isWord("recursive") == true { rest = rest.dropFirst() }
            while true {
                guard let nameToken = rest.first, let name = nameToken.identifier else { throw failure("expected a CTE name", at: rest.first) }
                rest = rest.dropFirst()
                var renamed: [String]?
                if rest.first?.isSymbol("(") == true {
                    let close = Self.matching(rest, from: rest.startIndex)
                    renamed = rest[(rest.startIndex + 1)..<close].compactMap(\.identifier)
                    rest = rest[(close + 1)...]
                }
                guard rest.first?.isWord("as") == true else { throw failure("expected AS", at: rest.first) }
                rest = rest.dropFirst()
                if rest.first?.isWord("not") == true { rest = rest.dropFirst() }
                if rest.first?.isWord("materialized") == true { rest = rest.dropFirst() }
                guard rest.first?.isSymbol("(") == true else { throw failure("expected '(' after AS", at: rest.first) }
                let close = Self.matching(rest, from: rest.startIndex)
                var columns = try statement(rest[(rest.startIndex + 1)..<close], outer: outer)
                if let renamed {
                    for (index, name) in renamed.enumerated() where index < columns.count { columns[index].name = name }
                }
                ctes[name] = columns
                rest = rest[(close + 1)...]
                guard rest.first?.isSymbol(",") == true else { break }
                rest = rest.dropFirst()
            }
        }
        guard let first = rest.first else { throw failure("expected a statement after WITH", at: tokens.last) }
        if first.isWord("select") || first.isSymbol("(") { return try select(rest, outer: outer) }
        if first.isWord("insert") { return try insert(rest, outer: outer) }
        if first.isWord("update") { return try update(rest, outer: outer) }
        if first.isWord("delete") { return try delete(rest, outer: outer) }
        if first.isWord("values") {
            try expressions(rest.dropFirst(), scope: outer)
            throw failure("a bare VALUES query has no column types; select from it with casts", at: first)
        }
        throw failure("named queries are SELECT, INSERT, UPDATE or DELETE statements", at: first)
    }

    /// Clause keywords at depth 0 of a SELECT.
    static let selectClauses: Set<String> = [
        "from", "where", "group", "having", "window", "order", "limit", "offset", "fetch", "for", "union", "intersect", "except",
    ]

    mutating func select(_ tokens: ArraySlice<SQLToken>, outer: [Relation]) throws(SQLCursor.Failure) -> [QueryColumn] {
        if tokens.first?.isSymbol("(") == true {
            let close = Self.matching(tokens, from: tokens.startIndex)
            let columns = try statement(tokens[(tokens.startIndex + 1)..<close], outer: outer)
            try expressions(tokens[(close + 1)...], scope: outer)
            return columns
        }
        var clauses = Self.clauses(tokens.dropFirst(), keywords: Self.selectClauses)
        var list = clauses.removeFirst().tokens
        if list.first?.isWord("distinct") == true {
            list = list.dropFirst()
            if list.first?.isWord("on") == true, list.dropFirst().first?.isSymbol("(") == true {
                list = list[(Self.matching(list, from: list.startIndex + 1) + 1)...]
            }
        } else if list.first?.isWord("all") == true {
            list = list.dropFirst()
        }
        var scope = outer
        var local: [Relation] = []
        if let from = clauses.first(where: { $0.keyword == "from" }) {
            local = try fromItems(from.tokens, outer: outer)
            scope = local + outer
        }
        let columns = try selectList(list, scope: scope, local: local)
        for clause in clauses where clause.keyword != "from" {
            if clause.keyword == "union" || clause.keyword == "intersect" || clause.keyword == "except" {
                var rest = clause.tokens
                if rest.first?.isWord("all") == true || rest.first?.isWord("distinct") == true { rest = rest.dropFirst() }
                _ = try statement(rest, outer: outer)
                continue
            }
            if clause.keyword == "limit" || clause.keyword == "offset" {
                if let token = clause.tokens.first, case .parameter(let n) = token.kind, clause.tokens.count == 1 || clause.tokens.dropFirst().first?.isSymbol("::") == true {
                    note(n, type: SQLType("bigint"), hint: clause.keyword)
                }
            }
            try expressions(clause.tokens, scope: scope)
        }
        if let from = clauses.first(where: { $0.keyword == "from" }) {
            try joinConditions(from.tokens, scope: scope)
        }
        return columns
    }

    /// A clause: its keyword and tokens (without the keyword).
    struct Clause {
        var keyword: String
        var tokens: ArraySlice<SQLToken>
    }

    /// Splits at depth-0 keywords; the first clause (keyword "") is what precedes them all.
    static func clauses(_ tokens: ArraySlice<SQLToken>, keywords: Set<String>) -> [Clause] {
        var result: [Clause] = []
        var keyword = ""
        var start = tokens.startIndex
        var depth = 0
        var index = tokens.startIndex
        while index < tokens.endIndex {
            let token = tokens[index]
            if token.isSymbol("(") || token.isSymbol("[") { depth += 1 }
            if token.isSymbol(")") || token.isSymbol("]") { depth -= 1 }
            let isOnConflict = token.isWord("on") && index + 1 < tokens.endIndex && tokens[index + 1].isWord("conflict")
            if depth == 0, token.kind == .word, keywords.contains(token.text.lowercased()), !token.isWord("on") || isOnConflict {
                // `IS DISTINCT FROM` and `DELETE … FROM` forms are not clause starts.
                let previous = index > tokens.startIndex ? tokens[index - 1] : nil
                let isDistinctFrom = token.isWord("from") && previous?.isWord("distinct") == true
                if !isDistinctFrom {
                    result.append(Clause(keyword: keyword, tokens: tokens[start..<index]))
                    keyword = token.text.lowercased()
                    var next = index + 1
                    // Two-word clause keywords.
                    if ["group", "order"].contains(keyword), next < tokens.endIndex, tokens[next].isWord("by") { next += 1 }
                    if keyword == "on", next + 1 < tokens.endIndex, tokens[next].isWord("conflict") { keyword = "on conflict"; next += 1 }
                    start = next
                    index = next
                    continue
                }
            }
            index += 1
        }
        result.append(Clause(keyword: keyword, tokens: tokens[start..<tokens.endIndex]))
        return result
    }

    /// The index of the `)` matching the `(` at `open`.
    static func matching(_ tokens: ArraySlice<SQLToken>, from open: Int) -> Int {
        var depth = 0
        for index in open..<tokens.endIndex {
            if tokens[index].isSymbol("(") || tokens[index].isSymbol("[") { depth += 1 }
            if tokens[index].isSymbol(")") || tokens[index].isSymbol("]") {
                depth -= 1
                if depth == 0 { return index }
            }
        }
        return tokens.endIndex - 1
    }

    /// Splits at depth-0 commas.
    static func commaSeparated(_ tokens: ArraySlice<SQLToken>) -> [ArraySlice<SQLToken>] {
        var parts: [ArraySlice<SQLToken>] = []
        var depth = 0
        var start = tokens.startIndex
        for index in tokens.indices {
            let token = tokens[index]
            if token.isSymbol("(") || token.isSymbol("[") { depth += 1 }
            if token.isSymbol(")") || token.isSymbol("]") { depth -= 1 }
            if depth == 0, token.isSymbol(",") {
                parts.append(tokens[start..<index])
                start = index + 1
            }
        }
        if start < tokens.endIndex { parts.append(tokens[start..<tokens.endIndex]) }
        return parts
    }

    // MARK: - FROM

    static let joinWords: Set<String> = ["join", "inner", "left", "right", "full", "cross", "natural", "outer", "on", "using", "lateral"]

    /// The relations of a FROM list (`a AS x, b JOIN c ON …, (SELECT …) AS s`).
    mutating func fromItems(_ tokens: ArraySlice<SQLToken>, outer: [Relation]) throws(SQLCursor.Failure) -> [Relation] {
        var relations: [Relation] = []
        var index = tokens.startIndex
        var nullableNext = false
        while index < tokens.endIndex {
            let token = tokens[index]
            if token.isSymbol(",") || token.isWord("inner") || token.isWord("cross") || token.isWord("natural") || token.isWord("lateral") || token.isWord("outer") {
                index += 1
                continue
            }
            if token.isWord("left") { nullableNext = true; index += 1; continue }
            if token.isWord("right") || token.isWord("full") {
                for i in relations.indices { relations[i].nullable = true }
                nullableNext = token.isWord("full")
                index += 1
                continue
            }
            if token.isWord("join") { index += 1; continue }
            if token.isWord("on") {
                // Skip the condition; it is analyzed once every relation is known.
                index = Self.endOfJoinCondition(tokens, from: index + 1)
                continue
            }
            if token.isWord("using") {
                index += 1
                if index < tokens.endIndex, tokens[index].isSymbol("(") { index = Self.matching(tokens, from: index) + 1 }
                continue
            }
            var relation: Relation
            if token.isSymbol("(") {
                let close = Self.matching(tokens, from: index)
                relation = Relation(alias: "", columns: try statement(tokens[(index + 1)..<close], outer: outer))
                index = close + 1
            } else if let name = token.identifier {
                var tableName = name
                index += 1
                if index + 1 < tokens.endIndex, tokens[index].isSymbol("."), let qualified = tokens[index + 1].identifier {
                    tableName = qualified
                    index += 2
                }
                if index < tokens.endIndex, tokens[index].isSymbol("(") {
                    throw failure("set-returning functions in FROM are not supported; select from a table or a subquery", at: token)
                }
                guard let columns = relationColumns(tableName) else { throw failure("relation \(tableName) does not exist", at: token) }
                relation = Relation(alias: tableName, columns: columns)
            } else {
                throw failure("unexpected '\(token.text)' in FROM", at: token)
            }
            if index < tokens.endIndex, tokens[index].isWord("as") { index += 1 }
            if index < tokens.endIndex, let alias = tokens[index].identifier, !Self.joinWords.contains(alias), tokens[index].kind == .quotedIdentifier || !["where", "join"].contains(alias) {
                relation.alias = alias
                index += 1
            }
            relation.nullable = relation.nullable || nullableNext
            nullableNext = false
            relations.append(relation)
        }
        return relations
    }

    /// Analyzes the parameters in ON conditions of a FROM list.
    mutating func joinConditions(_ tokens: ArraySlice<SQLToken>, scope: [Relation]) throws(SQLCursor.Failure) {
        var index = tokens.startIndex
        while index < tokens.endIndex {
            if tokens[index].isSymbol("(") { index = Self.matching(tokens, from: index) + 1; continue }
            if tokens[index].isWord("on") {
                let end = Self.endOfJoinCondition(tokens, from: index + 1)
                try expressions(tokens[(index + 1)..<end], scope: scope)
                index = end
                continue
            }
            index += 1
        }
    }

    /// Where an `ON` condition starting at `start` ends: the next join keyword or `,` outside parentheses.
    static func endOfJoinCondition(_ tokens: ArraySlice<SQLToken>, from start: Int) -> Int {
        var end = start
        var depth = 0
        while end < tokens.endIndex {
            let t = tokens[end]
            if t.isSymbol("(") { depth += 1 }
            if t.isSymbol(")") { depth -= 1 }
            if depth == 0, t.kind == .word, ["join", "left", "right", "full", "inner", "cross", "natural"].contains(t.text.lowercased()) { break }
            if depth == 0, t.isSymbol(",") { break }
            end += 1
        }
        return end
    }

    func relationColumns(_ name: String) -> [QueryColumn]? {
        if let columns = ctes[name] { return columns }
        guard let table = catalog.table(name) else { return nil }
        return table.columns.map { QueryColumn(name: $0.name, type: $0.type, nullable: !$0.notNull) }
    }

    // MARK: - INSERT, UPDATE, DELETE

    mutating func insert(_ tokens: ArraySlice<SQLToken>, outer: [Relation]) throws(SQLCursor.Failure) -> [QueryColumn] {
        var rest = tokens.dropFirst()
        guard rest.first?.isWord("into") == true else { throw failure("expected INTO", at: rest.first) }
        rest = rest.dropFirst()
        guard let nameToken = rest.first, let name = nameToken.identifier, let table = catalog.table(name) else {
            throw failure("table \(rest.first?.text ?? "") does not exist", at: rest.first)
        }
        rest = rest.dropFirst()
        var target = Relation(alias: name, columns: relationColumns(name) ?? [])
        if rest.first?.isWord("as") == true, let alias = rest.dropFirst().first?.identifier {
            target.alias = alias
            rest = rest.dropFirst(2)
        }
        var columnNames = table.columns.map(\.name)
        if rest.first?.isSymbol("(") == true {
            let close = Self.matching(rest, from: rest.startIndex)
            columnNames = []
            for part in Self.commaSeparated(rest[(rest.startIndex + 1)..<close]) {
                guard let column = part.first?.identifier, table.column(column) != nil else {
                    throw failure("table \(name) has no column \(part.first?.text ?? "")", at: part.first)
                }
                columnNames.append(column)
            }
            rest = rest[(close + 1)...]
        }
        let targets = columnNames.map { table.column($0)! }
        let clauses = Self.clauses(rest, keywords: ["on", "returning"])
        var source = clauses[0].tokens
        if source.first?.isWord("overriding") == true { source = source.dropFirst(3) }
        if source.first?.isWord("values") == true {
            var index = source.startIndex + 1
            while index < source.endIndex {
                if source[index].isSymbol("(") {
                    let close = Self.matching(source, from: index)
                    let items = Self.commaSeparated(source[(index + 1)..<close])
                    if items.count != targets.count {
                        throw failure("VALUES has \(items.count) values for \(targets.count) columns", at: source[index])
                    }
                    for (item, column) in zip(items, targets) { assign(item, to: column) }
                    try expressions(source[(index + 1)..<close], scope: outer)
                    index = close + 1
                } else {
                    index += 1
                }
            }
        } else if source.first?.isWord("select") == true || source.first?.isWord("with") == true {
            let selected = Self.clauses(source.dropFirst(), keywords: Self.selectClauses)[0].tokens
            let items = Self.commaSeparated(selected)
            if items.count == targets.count {
                for (item, column) in zip(items, targets) { assign(item, to: column) }
            }
            // The selected values go into the target's columns: their own types and names do not matter.
            let collecting = collectingResults
            collectingResults = false
            defer { collectingResults = collecting }
            _ = try statement(source, outer: outer)
        } else if source.first?.isWord("default") == true {
        } else {
            throw failure("expected VALUES or SELECT", at: source.first)
        }
        var returning: [QueryColumn] = []
        for clause in clauses.dropFirst() {
            if clause.keyword == "on conflict" {
                let excluded = Relation(alias: "excluded", columns: target.columns)
                try onConflict(clause.tokens, table: table, scope: [target, excluded] + outer)
            } else if clause.keyword == "returning" {
                returning = try selectList(clause.tokens, scope: [target] + outer, local: [target])
            }
        }
        return returning
    }

    mutating func onConflict(_ tokens: ArraySlice<SQLToken>, table: TableModel, scope: [Relation]) throws(SQLCursor.Failure) {
        guard let set = tokens.firstIndex(where: { $0.isWord("set") }) else { return }
        let whereIndex = Self.clauses(tokens[(set + 1)...], keywords: ["where"])
        try assignments(whereIndex[0].tokens, table: table, scope: scope)
        for clause in whereIndex.dropFirst() { try expressions(clause.tokens, scope: scope) }
    }

    mutating func update(_ tokens: ArraySlice<SQLToken>, outer: [Relation]) throws(SQLCursor.Failure) -> [QueryColumn] {
        var rest = tokens.dropFirst()
        if rest.first?.isWord("only") == true { rest = rest.dropFirst() }
        guard let nameToken = rest.first, let name = nameToken.identifier, let table = catalog.table(name) else {
            throw failure("table \(rest.first?.text ?? "") does not exist", at: rest.first)
        }
        rest = rest.dropFirst()
        var target = Relation(alias: name, columns: relationColumns(name) ?? [])
        if rest.first?.isWord("as") == true { rest = rest.dropFirst() }
        if let alias = rest.first?.identifier, !(rest.first?.isWord("set") ?? false) {
            target.alias = alias
            rest = rest.dropFirst()
        }
        let clauses = Self.clauses(rest, keywords: ["set", "from", "where", "returning"])
        var scope = [target] + outer
        if let from = clauses.first(where: { $0.keyword == "from" }) {
            let relations = try fromItems(from.tokens, outer: outer)
            scope = [target] + relations + outer
            try joinConditions(from.tokens, scope: scope)
        }
        var returning: [QueryColumn] = []
        for clause in clauses {
            switch clause.keyword {
            case "set": try assignments(clause.tokens, table: table, scope: scope)
            case "where": try expressions(clause.tokens, scope: scope)
            case "returning": returning = try selectList(clause.tokens, scope: scope, local: Array(scope.prefix(scope.count - outer.count)))
            default: break
            }
        }
        return returning
    }

    mutating func delete(_ tokens: ArraySlice<SQLToken>, outer: [Relation]) throws(SQLCursor.Failure) -> [QueryColumn] {
        var rest = tokens.dropFirst()
        guard rest.first?.isWord("from") == true else { throw failure("expected FROM", at: rest.first) }
        rest = rest.dropFirst()
        if rest.first?.isWord("only") == true { rest = rest.dropFirst() }
        guard let nameToken = rest.first, let name = nameToken.identifier, catalog.table(name) != nil else {
            throw failure("table \(rest.first?.text ?? "") does not exist", at: rest.first)
        }
        rest = rest.dropFirst()
        var target = Relation(alias: name, columns: relationColumns(name) ?? [])
        if rest.first?.isWord("as") == true { rest = rest.dropFirst() }
        if let alias = rest.first?.identifier, !(rest.first?.isWord("using") ?? false), !(rest.first?.isWord("where") ?? false) {
            target.alias = alias
            rest = rest.dropFirst()
        }
        let clauses = Self.clauses(rest, keywords: ["using", "where", "returning"])
        var scope = [target] + outer
        if let using = clauses.first(where: { $0.keyword == "using" }) {
            scope = [target] + (try fromItems(using.tokens, outer: outer)) + outer
        }
        var returning: [QueryColumn] = []
        for clause in clauses {
            if clause.keyword == "where" { try expressions(clause.tokens, scope: scope) }
            if clause.keyword == "returning" { returning = try selectList(clause.tokens, scope: scope, local: Array(scope.prefix(scope.count - outer.count))) }
        }
        return returning
    }

    /// `col = expr, (a, b) = (…)`: a value that is just `$n` takes the column's type.
    mutating func assignments(_ tokens: ArraySlice<SQLToken>, table: TableModel, scope: [Relation]) throws(SQLCursor.Failure) {
        for part in Self.commaSeparated(tokens) {
            guard let equals = part.firstIndex(where: { $0.isSymbol("=") }) else { throw failure("expected column = value", at: part.first) }
            let target = part[part.startIndex..<equals]
            guard target.count == 1, let columnName = target.first?.identifier else {
                try expressions(part[(equals + 1)...], scope: scope)
                continue
            }
            guard let column = table.column(columnName) else { throw failure("table \(table.name) has no column \(columnName)", at: target.first) }
            assign(part[(equals + 1)...], to: column)
            try expressions(part[(equals + 1)...], scope: scope)
        }
    }

    /// A value stored in `column`: when it is `$n` (optionally cast), `$n` gets the column's type.
    mutating func assign(_ value: ArraySlice<SQLToken>, to column: ColumnModel) {
        guard let first = value.first, case .parameter(let n) = first.kind else { return }
        guard value.count == 1 || value.dropFirst().first?.isSymbol("::") == true else { return }
        note(n, type: column.type, nullable: !column.notNull, hint: column.name)
    }

    mutating func note(_ n: Int, type: SQLType?, nullable: Bool = false, hint: String? = nil) {
        var fact = parameters[n] ?? ParameterFact()
        if fact.type == nil, let type { fact.type = type }
        fact.nullable = fact.nullable || nullable
        if fact.nameHint == nil, let hint { fact.nameHint = hint }
        parameters[n] = fact
    }
}
