/// One lexical token of PostgreSQL SQL, with where it starts in the script (1-based line and
/// column) and its span as offsets into the script's Unicode scalars.
public struct SQLToken: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// A keyword or unquoted identifier, as written (compare with `isWord`).
        case word
        /// A `"quoted"` identifier; `text` is its content, case kept.
        case quotedIdentifier
        /// A string constant (`'…'`, `E'…'`, `$tag$…$tag$`); `text` is its content.
        case string
        case number
        /// `$1`, `$2`, …
        case parameter(Int)
        /// Punctuation and operators: `(`, `)`, `,`, `;`, `.`, `::`, `=`, `<>`, `=>`, `*`, …
        case symbol
    }

    public var kind: Kind
    public var text: String
    public var line: Int
    public var column: Int
    /// Offsets in the script's Unicode scalars: `start..<end`.
    public var start: Int
    public var end: Int

    public init(kind: Kind, text: String, line: Int, column: Int, start: Int, end: Int) {
        self.kind = kind
        self.text = text
        self.line = line
        self.column = column
        self.start = start
        self.end = end
    }

    /// Whether this is the keyword or unquoted identifier `word` (case-insensitive).
    public func isWord(_ word: String) -> Bool {
        kind == .word && text.lowercased() == word
    }

    public func isSymbol(_ symbol: String) -> Bool {
        kind == .symbol && text == symbol
    }

    /// An identifier's name as PostgreSQL folds it: unquoted names in lower case, quoted as written.
    public var identifier: String? {
        switch kind {
        case .word: text.lowercased()
        case .quotedIdentifier: text
        default: nil
        }
    }
}
