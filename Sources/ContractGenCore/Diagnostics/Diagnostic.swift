/// One problem found in a contract, printed compiler-style so SwiftPM and editors place it.
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible {
    /// How bad a problem is.
    public enum Severity: String, Sendable, Hashable, Comparable {
        case note, warning, error

        private var rank: Int {
            switch self {
            case .note: 0
            case .warning: 1
            case .error: 2
            }
        }

        public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
    }

    public var severity: Severity
    public var message: String
    public var location: SourceLocation?
    /// A stable identifier of the rule or check that produced the diagnostic.
    public var ruleID: String?

    public init(_ severity: Severity, _ message: String, at location: SourceLocation? = nil, rule ruleID: String? = nil) {
        self.severity = severity
        self.message = message
        self.location = location
        self.ruleID = ruleID
    }

    /// `file:line:col: error: message [rule]`.
    public var description: String {
        let prefix = location.map { "\($0): " } ?? ""
        let suffix = ruleID.map { " [\($0)]" } ?? ""
        return "\(prefix)\(severity.rawValue): \(message)\(suffix)"
    }
}
