/// The error-code catalog (`contracts/errors.yaml`).
public struct ErrorCatalog: Sendable, Hashable {
    /// One catalog entry.
    public struct Entry: Sendable, Hashable {
        public var code: Int
        /// UPPER_SNAKE symbolic name.
        public var name: String
        public var httpStatus: Int
        /// Language tag → message.
        public var messages: [String: String]
        /// When to use it.
        public var usage: String?
        public var location: SourceLocation?

        public init(code: Int, name: String, httpStatus: Int, messages: [String: String], usage: String?, location: SourceLocation?) {
            self.code = code
            self.name = name
            self.httpStatus = httpStatus
            self.messages = messages
            self.usage = usage
            self.location = location
        }
    }

    public var entries: [Entry]
    public var sourceFile: String?

    public init(entries: [Entry], sourceFile: String?) {
        self.entries = entries.sorted { $0.code < $1.code }
        self.sourceFile = sourceFile
    }

    public func entry(code: Int) -> Entry? {
        entries.first { $0.code == code }
    }

    public func entry(named name: String) -> Entry? {
        entries.first { $0.name == name }
    }
}
