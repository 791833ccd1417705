import SQLSyntax

/// Expressions of named queries: where parameters are used (and so what type they take), and the
/// type, nullability and name of each result column.
extension QueryAnalyzer {
    static let comparisons: Set<String> = ["=", "<>", "!=", "<", ">", "<=", ">="]

    /// Visits an expression region: subqueries are analyzed in their own scope (with this one
    /// outside), and each `$n` is matched against the patterns that give it a type.
    mutating func expressions(_ tokens: ArraySlice<SQLToken>, scope: [Relation]) throws(SQLCursor.Failure) {
        var index = tokens.startIndex
        while index < tokens.endIndex {
            let token = tokens[index]
            if token.isSymbol("("), index + 1 < tokens.endIndex, tokens[index + 1].isWord("select") || tokens[index + 1].isWord("with") {
                let close = Self.matching(tokens, from: index)
                _ = try statement(tokens[(index + 1)..<close], outer: scope)
                index = close + 1
                continue
            }
            if case .parameter(let n) = token.kind { parameterUse(n, at: index, in: tokens, scope: scope) }
            index += 1
        }
    }

    /// The column a reference ending at `end` names (`col` or `alias.col`), if it resolves.
    func columnReference(endingAt end: Int, in tokens: ArraySlice<SQLToken>, scope: [Relation]) -> QueryColumn? {
        guard end >= tokens.startIndex, end < tokens.endIndex, let name = tokens[end].identifier else { return nil }
        if end - 2 >= tokens.startIndex, tokens[end - 1].isSymbol("."), let qualifier = tokens[end - 2].identifier {
            return resolve(name, qualifier: qualifier, scope: scope)
        }
        if end - 1 >= tokens.startIndex, tokens[end - 1].isSymbol("::") || tokens[end - 1].isSymbol(".") { return nil }
        return resolve(name, qualifier: nil, scope: scope)
    }

    /// The column a reference starting at `start` names, and the index after it.
    func columnReference(startingAt start: Int, in tokens: ArraySlice<SQLToken>, scope: [Relation]) -> QueryColumn? {
        guard start < tokens.endIndex, let name = tokens[start].identifier else { return nil }
        if start + 2 < tokens.endIndex, tokens[start + 1].isSymbol("."), let column = tokens[start + 2].identifier {
            return resolve(column, qualifier: name, scope: scope)
        }
        if start + 1 < tokens.endIndex, tokens[start + 1].isSymbol("(") { return nil }
        return resolve(name, qualifier: nil, scope: scope)
    }

    func resolve(_ name: String, qualifier: String?, scope: [Relation]) -> QueryColumn? {
        for relation in scope where qualifier == nil || relation.alias == qualifier {
            if var column = relation.columns.first(where: { $0.name == name }) {
                column.nullable = column.nullable || relation.nullable
                return column
            }
        }
        return nil
    }

    /// The type after `::` at `start`, and the index after it.
    func castType(at start: Int, in tokens: ArraySlice<SQLToken>) -> (SQLType, Int)? {
        var cursor = SQLCursor(tokens: Array(tokens[start...]), file: file, script: script)
        guard let (type, _) = try? cursor.sqlType() else { return nil }
        return (type, start + cursor.position)
    }

    mutating func parameterUse(_ n: Int, at index: Int, in tokens: ArraySlice<SQLToken>, scope: [Relation]) {
        func token(_ i: Int) -> SQLToken? { i >= tokens.startIndex && i < tokens.endIndex ? tokens[i] : nil }
        var after = index + 1
        if token(after)?.isSymbol("::") == true, let (type, next) = castType(at: after + 1, in: tokens) {
            note(n, type: type)
            after = next
        }
        if token(after)?.isWord("is") == true, token(after + 1)?.isWord("null") == true || (token(after + 1)?.isWord("not") == true && token(after + 2)?.isWord("null") == true) {
            note(n, type: nil, nullable: true)
        }
        // col op $n
        if let op = token(index - 1), op.kind == .symbol, Self.comparisons.contains(op.text),
           let column = columnReference(endingAt: index - 2, in: tokens, scope: scope) {
            note(n, type: column.type, hint: column.name)
        }
        // col IS [NOT] DISTINCT FROM $n
        if token(index - 1)?.isWord("from") == true, token(index - 2)?.isWord("distinct") == true {
            let isIndex = token(index - 3)?.isWord("not") == true ? index - 4 : index - 3
            if token(isIndex)?.isWord("is") == true, let column = columnReference(endingAt: isIndex - 1, in: tokens, scope: scope) {
                note(n, type: column.type, nullable: true, hint: column.name)
            }
        }
        // $n op col
        if let op = token(after), op.kind == .symbol, Self.comparisons.contains(op.text),
           let column = columnReference(startingAt: after + 1, in: tokens, scope: scope) {
            note(n, type: column.type, hint: column.name)
        }
        // col [NOT] IN (…, $n, …) and col op ANY ($n)
        var open = index - 1
        var depth = 0
        while let t = token(open) {
            if t.isSymbol(")") { depth += 1 }
            if t.isSymbol("(") {
                if depth == 0 { break }
                depth -= 1
            }
            open -= 1
        }
        if token(open)?.isSymbol("(") == true {
            if token(open - 1)?.isWord("in") == true {
                let end = token(open - 2)?.isWord("not") == true ? open - 3 : open - 2
                if let column = columnReference(endingAt: end, in: tokens, scope: scope) { note(n, type: column.type, hint: column.name) }
            } else if token(open - 1)?.isWord("any") == true || token(open - 1)?.isWord("all") == true, open == index - 1,
                      let op = token(open - 2), Self.comparisons.contains(op.text),
                      let column = columnReference(endingAt: open - 3, in: tokens, scope: scope) {
                note(n, type: SQLType(column.type.name, arrayDimensions: 1, modifiers: column.type.modifiers), hint: column.name)
            }
        }
        // col BETWEEN $a AND $b
        if token(index - 1)?.isWord("between") == true, let column = columnReference(endingAt: index - 2, in: tokens, scope: scope) {
            note(n, type: column.type, hint: column.name)
        }
        if token(index - 1)?.isWord("and") == true, token(index - 3)?.isWord("between") == true,
           let column = columnReference(endingAt: index - 4, in: tokens, scope: scope) {
            note(n, type: column.type, hint: column.name)
        }
        // LIMIT $n / OFFSET $n inside subqueries
        if token(index - 1)?.isWord("limit") == true || token(index - 1)?.isWord("offset") == true {
            note(n, type: SQLType("bigint"), hint: token(index - 1)!.text.lowercased())
        }
    }

    // MARK: - Result columns

    /// The columns of a SELECT list or RETURNING clause; `local` are the relations `*` expands to.
    mutating func selectList(_ tokens: ArraySlice<SQLToken>, scope: [Relation], local: [Relation]) throws(SQLCursor.Failure) -> [QueryColumn] {
        var columns: [QueryColumn] = []
        for item in Self.commaSeparated(tokens) {
            guard let first = item.first else { throw failure("empty item in the column list", at: tokens.first) }
            if item.count == 1, first.isSymbol("*") {
                for relation in local { columns += relation.columns.map { var c = $0; c.nullable = c.nullable || relation.nullable; return c } }
                continue
            }
            if item.count == 3, let alias = first.identifier, item[item.startIndex + 1].isSymbol("."), item.last!.isSymbol("*") {
                guard let relation = scope.first(where: { $0.alias == alias }) else { throw failure("no relation named \(alias) here", at: first) }
                columns += relation.columns.map { var c = $0; c.nullable = c.nullable || relation.nullable; return c }
                continue
            }
            try expressions(item, scope: scope)
            guard collectingResults else { continue }
            let (expression, alias) = splitAlias(item)
            var column = try infer(expression, scope: scope)
            if let alias { column.name = alias }
            if column.name == "?column?" {
                throw failure("give the result column `\(text(expression))` a name (… AS name)", at: first)
            }
            columns.append(column)
        }
        return columns
    }

    /// `expr AS name` or `expr name`.
    func splitAlias(_ item: ArraySlice<SQLToken>) -> (ArraySlice<SQLToken>, String?) {
        guard item.count >= 2, let last = item.last, let name = last.identifier else { return (item, nil) }
        let previous = item[item.endIndex - 2]
        if previous.isWord("as") { return (item.dropLast(2), name) }
        if last.kind == .word, ["end", "null", "true", "false"].contains(name) { return (item, nil) }
        // After `::`, the words may all belong to the type (`::double precision`).
        if let cast = Self.lastTopLevelCast(item), let (_, end) = castType(at: cast + 1, in: item) {
            return end == item.endIndex ? (item, nil) : (item.dropLast(), end == item.endIndex - 1 ? name : nil)
        }
        if previous.isSymbol(")") || previous.identifier != nil || previous.kind == .number || previous.kind == .string {
            if previous.isSymbol(".") { return (item, nil) }
            return (item.dropLast(), name)
        }
        return (item, nil)
    }

    /// The index of the last `::` outside parentheses.
    static func lastTopLevelCast(_ tokens: ArraySlice<SQLToken>) -> Int? {
        var depth = 0
        var cast: Int?
        for index in tokens.indices {
            if tokens[index].isSymbol("(") { depth += 1 }
            if tokens[index].isSymbol(")") { depth -= 1 }
            if depth == 0, tokens[index].isSymbol("::") { cast = index }
        }
        return cast
    }

    /// Type, nullability and PostgreSQL's name of a result expression.
    mutating func infer(_ expression: ArraySlice<SQLToken>, scope: [Relation]) throws(SQLCursor.Failure) -> QueryColumn {
        guard let first = expression.first else { throw failure("empty expression", at: nil) }
        func unknown() -> SQLCursor.Failure {
            failure("cannot infer the type of `\(text(expression))`; add a cast: (…)::type AS name", at: first)
        }
        // (expr) and scalar subqueries
        if first.isSymbol("("), Self.matching(expression, from: expression.startIndex) == expression.endIndex - 1 {
            let inner = expression[(expression.startIndex + 1)..<(expression.endIndex - 1)]
            if inner.first?.isWord("select") == true || inner.first?.isWord("with") == true {
                let columns = try statement(inner, outer: scope)
                guard columns.count == 1 else { throw failure("a scalar subquery returns one column", at: first) }
                return QueryColumn(name: columns[0].name, type: columns[0].type, nullable: true)
            }
            return try infer(inner, scope: scope)
        }
        // expr::type
        if let cast = Self.lastTopLevelCast(expression), let (type, end) = castType(at: cast + 1, in: expression), end == expression.endIndex {
            let inner = expression[expression.startIndex..<cast]
            let known = try? infer(inner, scope: scope)
            return QueryColumn(name: known?.name ?? "?column?", type: type, nullable: known?.nullable ?? true)
        }
        // CAST(expr AS type)
        if first.isWord("cast"), expression.count > 2, expression[expression.startIndex + 1].isSymbol("(") {
            let close = Self.matching(expression, from: expression.startIndex + 1)
            if close == expression.endIndex - 1, let asIndex = expression[..<close].lastIndex(where: { $0.isWord("as") }),
               let (type, end) = castType(at: asIndex + 1, in: expression[..<close]), end == close {
                let known = try? infer(expression[(expression.startIndex + 2)..<asIndex], scope: scope)
                return QueryColumn(name: known?.name ?? "?column?", type: type, nullable: known?.nullable ?? true)
            }
        }
        // Column references
        if expression.count == 1, let name = first.identifier, !["null", "true", "false", "current_timestamp", "now"].contains(name) || first.kind == .quotedIdentifier {
            guard let column = resolve(name, qualifier: nil, scope: scope) else { throw failure("column \(name) does not exist here", at: first) }
            return column
        }
        if expression.count == 3, let qualifier = first.identifier, expression[expression.startIndex + 1].isSymbol("."), let name = expression.last?.identifier {
            guard let column = resolve(name, qualifier: qualifier, scope: scope) else { throw failure("column \(qualifier).\(name) does not exist here", at: first) }
            return column
        }
        // Literals
        if expression.count == 1 {
            switch first.kind {
            case .string: return QueryColumn(name: "?column?", type: SQLType("text"), nullable: false)
            case .number: return QueryColumn(name: "?column?", type: SQLType(first.text.contains(".") || first.text.contains("e") ? "numeric" : "integer"), nullable: false)
            case .word where first.isWord("true") || first.isWord("false"): return QueryColumn(name: "bool", type: SQLType("boolean"), nullable: false)
            case .word where first.isWord("current_timestamp"): return QueryColumn(name: "current_timestamp", type: SQLType("timestamp with time zone"), nullable: false)
            default: throw unknown()
            }
        }
        // Function calls, possibly with FILTER (…) / OVER (…)
        if first.kind == .word, expression[expression.startIndex + 1].isSymbol("(") {
            let close = Self.matching(expression, from: expression.startIndex + 1)
            var rest = expression[(close + 1)...]
            while rest.first?.isWord("filter") == true || rest.first?.isWord("over") == true, rest.dropFirst().first?.isSymbol("(") == true {
                rest = rest[(Self.matching(rest, from: rest.startIndex + 1) + 1)...]
            }
            guard rest.isEmpty else { throw unknown() }
            let name = first.text.lowercased()
            let arguments = Self.commaSeparated(expression[(expression.startIndex + 2)..<close])
            return try function(name, arguments: arguments, scope: scope, unknown: unknown())
        }
        // CASE … END: the first branch whose type is known.
        if first.isWord("case"), expression.last?.isWord("end") == true {
            var nullable = !expression.contains { $0.isWord("else") }
            var type: SQLType?
            var index = expression.startIndex
            while index < expression.endIndex {
                if expression[index].isWord("then") || expression[index].isWord("else") {
                    var end = index + 1
                    var depth = 0
                    while end < expression.endIndex - 1 {
                        let t = expression[end]
                        if t.isSymbol("(") { depth += 1 }
                        if t.isSymbol(")") { depth -= 1 }
                        if depth == 0, t.isWord("when") || t.isWord("else") { break }
                        end += 1
                    }
                    if expression[(index + 1)..<end].count == 1, expression[index + 1].isWord("null") {
                        nullable = true
                    } else if let branch = try? infer(expression[(index + 1)..<end], scope: scope) {
                        type = type ?? branch.type
                        nullable = nullable || branch.nullable
                    }
                    index = end
                    continue
                }
                index += 1
            }
            guard let type else { throw unknown() }
            return QueryColumn(name: "case", type: type, nullable: nullable)
        }
        if first.isWord("exists") || (first.isWord("not") && expression.dropFirst().first?.isWord("exists") == true) {
            return QueryColumn(name: "exists", type: SQLType("boolean"), nullable: false)
        }
        throw unknown()
    }

    private func function(
        _ name: String, arguments: [ArraySlice<SQLToken>], scope: [Relation], unknown: SQLCursor.Failure
    ) throws(SQLCursor.Failure) -> QueryColumn {
        let analyzer = self
        func argument(_ index: Int) -> QueryColumn? {
            guard index < arguments.count, !(arguments[index].count == 1 && arguments[index].first!.isSymbol("*")) else { return nil }
            var copy = analyzer
            return try? copy.infer(arguments[index], scope: scope)
        }
        switch name {
        case "count":
            return QueryColumn(name: name, type: SQLType("bigint"), nullable: false)
        case "now", "clock_timestamp", "statement_timestamp", "transaction_timestamp":
            return QueryColumn(name: name, type: SQLType("timestamp with time zone"), nullable: false)
        case "gen_random_uuid":
            return QueryColumn(name: name, type: SQLType("uuid"), nullable: false)
        case "coalesce", "greatest", "least":
            let known = arguments.indices.compactMap(argument)
            guard let type = known.first?.type else { throw unknown }
            let nullable = name == "coalesce" ? known.count == arguments.count && known.allSatisfy(\.nullable) : known.contains { $0.nullable }
            return QueryColumn(name: name, type: type, nullable: nullable)
        case "max", "min":
            guard let column = argument(0) else { throw unknown }
            return QueryColumn(name: name, type: column.type, nullable: true)
        case "sum":
            guard let column = argument(0) else { throw unknown }
            let type: String = switch column.type.name {
            case "smallint", "integer": "bigint"
            case "real": "real"
            case "double precision": "double precision"
            default: "numeric"
            }
            return QueryColumn(name: name, type: SQLType(type), nullable: true)
        case "array_agg":
            guard let column = argument(0) else { throw unknown }
            return QueryColumn(name: name, type: SQLType(column.type.name, arrayDimensions: column.type.arrayDimensions + 1), nullable: true)
        case "lower", "upper", "btrim", "ltrim", "rtrim", "substr", "left", "right", "replace", "md5", "initcap":
            return QueryColumn(name: name, type: SQLType("text"), nullable: argument(0)?.nullable ?? true)
        case "concat", "concat_ws", "format":
            return QueryColumn(name: name, type: SQLType("text"), nullable: false)
        case "char_length", "length", "octet_length", "cardinality", "array_length":
            return QueryColumn(name: name, type: SQLType("integer"), nullable: argument(0)?.nullable ?? true)
        case "jsonb_build_object", "jsonb_build_array", "to_jsonb", "jsonb_agg", "jsonb_object_agg":
            return QueryColumn(name: name, type: SQLType("jsonb"), nullable: name.hasSuffix("agg") || name == "to_jsonb")
        default:
            throw unknown
        }
    }
}
