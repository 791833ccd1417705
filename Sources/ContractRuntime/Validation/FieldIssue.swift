/// One reason a request (or response) does not satisfy the contract, at a JSON pointer.
public struct FieldIssue: Sendable, Hashable, Codable, CustomStringConvertible {
    /// JSON pointer of the offending value: `/body/name`, `/query/limit`, `/header/Idempotency-Key`.
    public var field: String
    public var reason: String

    public init(field: String, reason: String) {
        self.field = field
        self.reason = reason
    }

    public init(_ path: JSONPath, _ reason: String) {
        self.init(field: path.pointer, reason: reason)
    }

    public var description: String { "\(field.isEmpty ? "/" : field): \(reason)" }
}

/// Every issue found while decoding and validating one value; nothing stops at the first.
public struct FieldIssues: Sendable, Hashable {
    public private(set) var all: [FieldIssue] = []

    public init() {}

    public var count: Int { all.count }
    public var isEmpty: Bool { all.isEmpty }

    public mutating func add(_ path: JSONPath, _ reason: String) {
        all.append(FieldIssue(path, reason))
    }

    public mutating func append(contentsOf other: FieldIssues) {
        all.append(contentsOf: other.all)
    }
}

/// Thrown when a value does not satisfy its schema; carries every issue.
public struct ContractValidationError: Error, Sendable, Hashable, CustomStringConvertible {
    public var issues: [FieldIssue]

    public init(_ issues: [FieldIssue]) {
        self.issues = issues
    }

    public var description: String {
        "contract validation failed: " + issues.map(\.description).joined(separator: "; ")
    }
}
