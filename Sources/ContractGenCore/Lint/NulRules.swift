/// PostgreSQL's `text` (and `jsonb`) cannot hold NUL (U+0000): a request string that reaches the
/// database with one is refused there, which a service answers with 500. So in a contract with
/// migrations, every free-text string a request carries — body fields at any depth and
/// parameters — must be one the validators keep NUL out of: an enum, a format whose check refuses
/// control characters (uuid, date-time, date, email, uri, hostname, ip addresses, byte), or a
/// `pattern` that provably excludes it (anchored, with every character class and escape excluding
/// U+0000). A string that never reaches the database (a password that is only hashed) says so
/// with `x-lint-ignore: {request-text-nul: reason}`.
enum NulRules {
    static let descriptions = [
        "request-text-nul": "in a contract with migrations, every request string (body fields, parameters) excludes NUL: an enum, a checked format (uuid, date-time, date, email, uri, hostname, ipv4, ipv6, byte), or an anchored pattern whose classes exclude \\x00",
    ]

    static func check(_ model: ContractModel) -> [Diagnostic] {
        let schemas = Dictionary(model.schemas.map { ($0.name, $0.schema) }, uniquingKeysWith: { first, _ in first })
        var diagnostics = DiagnosticCollector()
        var reported: Set<String> = []
        func report(_ what: String, _ schema: SchemaModel, fallback: SourceLocation?) {
            let location = schema.location ?? fallback
            guard reported.insert("\(location.map { "\($0.file):\($0.line):\($0.column)" } ?? what)").inserted else { return }
            let pattern = schema.constraints.pattern.map { " (its pattern \($0) does not show it)" } ?? ""
            diagnostics.error(
                "\(what) is a string that may hold NUL, which PostgreSQL text refuses\(pattern); exclude it, e.g. pattern: '^[^\\x00]*$'",
                at: location, rule: "request-text-nul")
        }
        func walk(_ schema: SchemaModel, _ what: String, fallback: SourceLocation?, seen: Set<String>) {
            switch schema.shape {
            case .reference(let name):
                guard !seen.contains(name), let target = schemas[name] else { return }
                walk(target, what, fallback: fallback, seen: seen.union([name]))
            case .string(let kind):
                if kind != .plain && kind != .binary { return }
                if let pattern = schema.constraints.pattern, excludesNul(pattern) { return }
                report(what, schema, fallback: fallback)
            case .array(let items):
                walk(items, what + "[]", fallback: schema.location ?? fallback, seen: seen)
            case .map(let values):
                walk(values, what + "{}", fallback: schema.location ?? fallback, seen: seen)
            case .object(let object):
                for property in object.properties {
                    walk(property.schema, what + "." + property.name, fallback: schema.location ?? fallback, seen: seen)
                }
            case .union(let union):
                for alternative in union.alternatives { walk(alternative, what, fallback: schema.location ?? fallback, seen: seen) }
            case .integer, .number, .boolean, .stringEnum, .any:
                return
            }
        }
        for operation in model.operations {
            let where_ = "\(operation.method.uppercased()) \(operation.path)"
            for parameter in operation.parameters {
                walk(parameter.schema, "\(where_) \(parameter.location.rawValue) parameter \(parameter.name)", fallback: operation.location, seen: [])
            }
            if let body = operation.requestBody, body.contentTypes.contains(where: { $0.hasSuffix("json") }), let schema = body.schema {
                walk(schema, "\(where_) body", fallback: operation.location, seen: [])
            }
        }
        return diagnostics.diagnostics
    }

    /// Whether every string `pattern` matches is free of U+0000, judged from its form: anchored at
    /// both ends with no top-level alternation, no `.` and no escape that admits NUL (`\S`, `\W`,
    /// `\D`, `\P{…}`, `\x00`, `\u0000`, `\0`), every negated class naming NUL and no positive class
    /// admitting it. Conservative: a pattern it cannot judge is not proven.
    static func excludesNul(_ pattern: String) -> Bool {
        let characters = Array(pattern)
        guard characters.first == "^", characters.last == "$", characters.count >= 2, characters[characters.count - 2] != "\\" else { return false }
        /// Whether the escape at `index` (after a backslash) denotes NUL or a set admitting it, and its length.
        func escape(at index: Int) -> (admitsNul: Bool, isNul: Bool, length: Int) {
            guard index < characters.count else { return (true, false, 0) }
            let rest = String(characters[index...])
            if rest.hasPrefix("x00") { return (true, true, 3) }
            if rest.hasPrefix("u0000") { return (true, true, 5) }
            if rest.hasPrefix("x{0}") { return (true, true, 4) }
            switch characters[index] {
            case "0": return (true, true, 1)
            case "S", "W", "D", "P": return (true, false, 1)
            case "x": return (false, false, 3)
            case "u": return (false, false, 5)
            default: return (false, false, 1)
            }
        }
        var index = 1
        var depth = 0
        while index < characters.count - 1 {
            let character = characters[index]
            switch character {
            case "\\":
                let (admits, _, length) = escape(at: index + 1)
                if admits { return false }
                index += 1 + length
                continue
            case ".":
                return false
            case "(":
                depth += 1
            case ")":
                depth -= 1
            case "|":
                if depth == 0 { return false }
            case "[":
                var cursor = index + 1
                let negated = cursor < characters.count && characters[cursor] == "^"
                if negated { cursor += 1 }
                var namesNul = false
                var previousWasNul = false
                var first = true
                while cursor < characters.count, characters[cursor] != "]" || first {
                    first = false
                    if characters[cursor] == "\\" {
                        let (admits, isNul, length) = escape(at: cursor + 1)
                        if isNul { namesNul = true }
                        if admits && !isNul && !negated { return false }
                        if isNul && !negated { return false }
                        previousWasNul = isNul
                        cursor += 1 + length
                        continue
                    }
                    if characters[cursor] == "-", previousWasNul, !negated { return false }
                    previousWasNul = false
                    cursor += 1
                }
                guard cursor < characters.count else { return false }
                if negated && !namesNul { return false }
                index = cursor + 1
                continue
            default:
                break
            }
            index += 1
        }
        return depth == 0
    }
}
