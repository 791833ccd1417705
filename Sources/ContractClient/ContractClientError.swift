import ContractRuntime

/// What a generated client throws besides an operation's declared failures.
public enum ContractClientError: Error, Sendable, CustomStringConvertible {
    /// The request breaks the contract; it was not sent. The same `{field, reason}` pointers as the server's 40001.
    case invalidRequest(operationID: String, details: [FieldIssue])
    /// The server answered something the contract does not declare for the operation.
    case undeclaredResponse(operationID: String, status: Int, excerpt: String)
    /// A declared answer whose body does not fit the contract.
    case invalidResponse(operationID: String, status: Int, details: [FieldIssue])

    public var description: String {
        switch self {
        case .invalidRequest(let operation, let details):
            "\(operation): the request breaks the contract (not sent): " + details.map { "\($0.field) \($0.reason)" }.joined(separator: "; ")
        case .undeclaredResponse(let operation, let status, let excerpt):
            "\(operation): the server answered \(status), which the contract does not declare: \(excerpt)"
        case .invalidResponse(let operation, let status, let details):
            "\(operation): the \(status) answer breaks the contract: " + details.map { "\($0.field) \($0.reason)" }.joined(separator: "; ")
        }
    }
}
