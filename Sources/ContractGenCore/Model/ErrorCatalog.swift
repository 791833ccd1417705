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
        /// Where the code appears: in HTTP error responses, or only as a task's `errorCode`.
        public var scope: Scope
        /// Whether responses with it list `details` (`details: true`; always for HTTP 400).
        public var carriesDetails: Bool
        public var location: SourceLocation?

        public init(
            code: Int, name: String, httpStatus: Int, messages: [String: String], usage: String?, scope: Scope = .response,
            carriesDetails: Bool = false, location: SourceLocation?
        ) {
            self.carriesDetails = carriesDetails || httpStatus == 400
            self.code = code
            self.name = name
            self.httpStatus = httpStatus
            self.messages = messages
            self.usage = usage
            self.scope = scope
            self.location = location
        }
    }

    /// Where a catalog code appears (`scope:` in the catalog; `response` when absent).
    public enum Scope: String, Sendable, Hashable, CaseIterable {
        /// Sent in error envelopes; some operation (or the runtime) declares it.
        case response
        /// Only recorded as the outcome of background work (a task's `errorCode`); no operation declares it.
        case task
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
