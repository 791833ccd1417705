/// One statement of a script: its tokens (without the closing `;`) and its text as written.
public struct SQLStatement: Sendable, Hashable {
    public var tokens: [SQLToken]
    public var text: String

    public var line: Int { tokens.first?.line ?? 1 }
    public var column: Int { tokens.first?.column ?? 1 }

    /// The statements of `script`, split at top-level semicolons; empty statements are dropped.
    public static func split(_ script: String) throws(SQLSyntaxError) -> [SQLStatement] {
        let (statements, error) = splitRecovering(script)
        if let error { throw error }
        return statements
    }

    /// The statements before the first place the lexer cannot read, and that place (so a tool
    /// can report everything else wrong with the script too).
    public static func splitRecovering(_ script: String) -> ([SQLStatement], SQLSyntaxError?) {
        var lexer = SQLLexer(script)
        var tokens: [SQLToken] = []
        var failure: SQLSyntaxError?
        do {
            while let token = try lexer.next() { tokens.append(token) }
        } catch {
            failure = error
            // The unfinished statement is dropped with the error.
            if let last = tokens.lastIndex(where: { $0.isSymbol(";") }) { tokens.removeSubrange((last + 1)...) } else { tokens = [] }
        }
        let scalars = Array(script.unicodeScalars)
        var statements: [SQLStatement] = []
        var current: [SQLToken] = []
        func flush() {
            guard let first = current.first, let last = current.last else { return }
            statements.append(SQLStatement(tokens: current, text: String(String.UnicodeScalarView(scalars[first.start..<last.end]))))
            current = []
        }
        for token in tokens {
            if token.isSymbol(";") { flush() } else { current.append(token) }
        }
        flush()
        return (statements, failure)
    }
}
