/// Turns PostgreSQL SQL into tokens, skipping `--` and nested `/* */` comments. Quoted strings,
/// quoted identifiers and dollar-quoted bodies are single tokens, so nothing inside them is
/// mistaken for SQL.
public struct SQLLexer {
    private let scalars: [Unicode.Scalar]
    private var index = 0
    private var line = 1
    private var column = 1

    /// Multi-character operators PostgreSQL scripts use, longest first.
    private static let operators = ["->>", "#>>", "!~*", "::", "<=", ">=", "<>", "!=", "=>", "||", "->", "#>", "@>", "<@", "?|", "?&", "~*", "!~", "&&"]
        .map { Array($0.unicodeScalars) }

    public init(_ text: String) {
        scalars = Array(text.unicodeScalars)
    }

    /// Every token of `text`, or the first place the lexer cannot read.
    public static func tokenize(_ text: String) throws(SQLSyntaxError) -> [SQLToken] {
        var lexer = SQLLexer(text)
        var tokens: [SQLToken] = []
        while let token = try lexer.next() { tokens.append(token) }
        return tokens
    }

    private func peek(_ offset: Int = 0) -> Unicode.Scalar? {
        index + offset < scalars.count ? scalars[index + offset] : nil
    }

    private mutating func advance(_ count: Int = 1) {
        for _ in 0..<count where index < scalars.count {
            if scalars[index] == "\n" { line += 1; column = 1 } else { column += 1 }
            index += 1
        }
    }

    public mutating func next() throws(SQLSyntaxError) -> SQLToken? {
        try skipSpaceAndComments()
        guard let c = peek() else { return nil }
        let (startLine, startColumn, start) = (line, column, index)
        func token(_ kind: SQLToken.Kind, _ text: String) -> SQLToken {
            SQLToken(kind: kind, text: text, line: startLine, column: startColumn, start: start, end: index)
        }

        if c == "'" {
            return token(.string, try quoted("'", backslashEscapes: false))
        }
        if ["e", "E"].contains(c), peek(1) == "'" {
            advance()
            return token(.string, try quoted("'", backslashEscapes: true))
        }
        if ["b", "B", "x", "X", "n", "N"].contains(c), peek(1) == "'" {
            advance()
            return token(.string, try quoted("'", backslashEscapes: false))
        }
        if c == "\"" {
            return token(.quotedIdentifier, try quoted("\"", backslashEscapes: false))
        }
        if c == "$" {
            if let digit = peek(1), ("0"..."9").contains(digit) {
                advance()
                var digits = ""
                while let d = peek(), ("0"..."9").contains(d) { digits.unicodeScalars.append(d); advance() }
                return token(.parameter(Int(digits) ?? 0), "$" + digits)
            }
            if let tag = dollarTag() {
                return token(.string, try dollarQuoted(tag))
            }
        }
        if Self.isWordStart(c) {
            var text = ""
            while let d = peek(), Self.isWordPart(d) { text.unicodeScalars.append(d); advance() }
            return token(.word, text)
        }
        if ("0"..."9").contains(c) || (c == "." && peek(1).map { ("0"..."9").contains($0) } == true) {
            var text = ""
            while let d = peek(), ("0"..."9").contains(d) || d == "." || d == "e" || d == "E"
                    || ((d == "+" || d == "-") && (text.hasSuffix("e") || text.hasSuffix("E"))) {
                if d == ".", peek(1) == "." { break }
                text.unicodeScalars.append(d)
                advance()
            }
            return token(.number, text)
        }
        for op in Self.operators where index + op.count <= scalars.count && Array(scalars[index..<index + op.count]) == op {
            advance(op.count)
            return token(.symbol, String(String.UnicodeScalarView(op)))
        }
        advance()
        return token(.symbol, String(c))
    }

    private mutating func skipSpaceAndComments() throws(SQLSyntaxError) {
        while let c = peek() {
            if c.properties.isWhitespace {
                advance()
            } else if c == "-", peek(1) == "-" {
                while let d = peek(), d != "\n" { _ = d; advance() }
            } else if c == "/", peek(1) == "*" {
                let (startLine, startColumn) = (line, column)
                var depth = 0
                repeat {
                    guard peek() != nil else { throw SQLSyntaxError("unterminated /* comment", line: startLine, column: startColumn) }
                    if peek() == "/", peek(1) == "*" { depth += 1; advance(2); continue }
                    if peek() == "*", peek(1) == "/" { depth -= 1; advance(2); continue }
                    advance()
                } while depth > 0
            } else {
                return
            }
        }
    }

    /// The content of a quoted string or identifier starting at the opening quote; a doubled
    /// quote is one quote.
    private mutating func quoted(_ quote: Unicode.Scalar, backslashEscapes: Bool) throws(SQLSyntaxError) -> String {
        let (startLine, startColumn) = (line, column)
        advance()
        var content = String.UnicodeScalarView()
        while true {
            guard let c = peek() else {
                throw SQLSyntaxError(quote == "'" ? "unterminated string constant" : "unterminated quoted identifier", line: startLine, column: startColumn)
            }
            advance()
            if backslashEscapes, c == "\\", let escaped = peek() {
                content.append(escaped)
                advance()
            } else if c == quote {
                if peek() == quote { content.append(quote); advance() } else { return String(content) }
            } else {
                content.append(c)
            }
        }
    }

    /// `$tag$` or `$$` at the current position, if any.
    private func dollarTag() -> [Unicode.Scalar]? {
        var end = index + 1
        while end < scalars.count {
            let c = scalars[end]
            if c == "$" { return Array(scalars[index...end]) }
            guard c == "_" || c.properties.isAlphabetic || (end > index + 1 && ("0"..."9").contains(c)) else { return nil }
            end += 1
        }
        return nil
    }

    private mutating func dollarQuoted(_ tag: [Unicode.Scalar]) throws(SQLSyntaxError) -> String {
        let (startLine, startColumn) = (line, column)
        advance(tag.count)
        var content = String.UnicodeScalarView()
        while index < scalars.count {
            if scalars[index] == "$", index + tag.count <= scalars.count, Array(scalars[index..<index + tag.count]) == tag {
                advance(tag.count)
                return String(content)
            }
            content.append(scalars[index])
            advance()
        }
        throw SQLSyntaxError("unterminated dollar-quoted string \(String(String.UnicodeScalarView(tag)))", line: startLine, column: startColumn)
    }

    private static func isWordStart(_ c: Unicode.Scalar) -> Bool {
        c == "_" || c.properties.isAlphabetic
    }

    private static func isWordPart(_ c: Unicode.Scalar) -> Bool {
        c == "_" || c == "$" || c.properties.isAlphabetic || ("0"..."9").contains(c)
    }
}
