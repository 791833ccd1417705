import SQLSyntax

/// Reads one statement's tokens front to back for the DDL and query parsers, with errors that
/// point at the token where reading stopped.
struct SQLCursor {
    let tokens: [SQLToken]
    let file: String
    /// The script's scalars, so expressions can be kept as written.
    let script: [Unicode.Scalar]
    var position = 0

    /// Thrown when the statement is not what the parser expects; carries its place.
    struct Failure: Error {
        var message: String
        var location: SourceLocation
    }

    var current: SQLToken? { position < tokens.count ? tokens[position] : nil }
    var atEnd: Bool { position >= tokens.count }

    func peek(_ offset: Int = 0) -> SQLToken? {
        position + offset < tokens.count ? tokens[position + offset] : nil
    }

    func location(of token: SQLToken?) -> SourceLocation {
        let token = token ?? tokens.last
        return SourceLocation(file: file, line: token?.line ?? 1, column: token.map { $0.column + (atEnd ? $0.end - $0.start : 0) } ?? 1)
    }

    var here: SourceLocation { location(of: current) }

    func failure(_ message: String) -> Failure {
        Failure(message: message, location: here)
    }

    /// Whether the next tokens are these words.
    func isWords(_ words: String...) -> Bool {
        words.enumerated().allSatisfy { peek($0.offset)?.isWord($0.element) == true }
    }

    func isSymbol(_ symbol: String) -> Bool {
        current?.isSymbol(symbol) == true
    }

    /// Consumes the words if they come next.
    mutating func take(_ words: String...) -> Bool {
        guard words.enumerated().allSatisfy({ peek($0.offset)?.isWord($0.element) == true }) else { return false }
        position += words.count
        return true
    }

    mutating func takeSymbol(_ symbol: String) -> Bool {
        guard isSymbol(symbol) else { return false }
        position += 1
        return true
    }

    mutating func expect(_ words: String...) throws(Failure) {
        for word in words {
            guard current?.isWord(word) == true else { throw failure("expected \(word.uppercased())\(found)") }
            position += 1
        }
    }

    mutating func expectSymbol(_ symbol: String) throws(Failure) {
        guard takeSymbol(symbol) else { throw failure("expected '\(symbol)'\(found)") }
    }

    private var found: String {
        current.map { ", found '\($0.kind == .string ? "'" + $0.text + "'" : $0.text)'" } ?? " at the end of the statement"
    }

    /// An identifier; `schema.name` is read as `name` (everything lives in one schema).
    mutating func identifier(_ what: String = "a name") throws(Failure) -> String {
        guard let name = current?.identifier else { throw failure("expected \(what)\(found)") }
        position += 1
        if isSymbol("."), let next = peek(1)?.identifier {
            position += 2
            return next
        }
        return name
    }

    /// `(a, b, c)`: a parenthesised list of identifiers.
    mutating func identifierList() throws(Failure) -> [String] {
        try expectSymbol("(")
        var names: [String] = [try identifier("a column name")]
        while takeSymbol(",") { names.append(try identifier("a column name")) }
        try expectSymbol(")")
        return names
    }

    /// Tokens up to (not including) a top-level `,` or `)`, a stop word at depth 0, or the end;
    /// returns their text as written.
    mutating func expression(stopWords: Set<String> = [], stopSymbols: Set<String> = [",", ")"]) throws(Failure) -> String {
        let start = position
        var depth = 0
        while let token = current {
            if depth == 0 {
                if token.kind == .symbol, stopSymbols.contains(token.text) { break }
                if token.kind == .word, stopWords.contains(token.text.lowercased()), position > start { break }
            }
            if token.isSymbol("(") || token.isSymbol("[") { depth += 1 }
            if token.isSymbol(")") || token.isSymbol("]") { depth -= 1 }
            position += 1
        }
        guard position > start else { throw failure("expected an expression\(found)") }
        return text(from: start, to: position)
    }

    /// A parenthesised expression, returned without the outer parentheses.
    mutating func parenthesised() throws(Failure) -> String {
        try expectSymbol("(")
        let inner = try expression()
        try expectSymbol(")")
        return inner
    }

    /// The source text of tokens `start..<end`.
    func text(from start: Int, to end: Int) -> String {
        guard start < end else { return "" }
        return String(String.UnicodeScalarView(script[tokens[start].start..<tokens[end - 1].end]))
    }

    /// Skips to the end of the statement.
    mutating func skipRest() {
        position = tokens.count
    }
}
