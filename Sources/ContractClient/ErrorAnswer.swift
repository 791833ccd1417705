import ContractRuntime

/// An error envelope the server answered: the catalog code, the message (in the `Accept-Language`
/// asked for), the request id, field details with JSON pointers, and `Retry-After` when sent.
public struct ErrorAnswer: Sendable, Hashable, CustomStringConvertible {
    public var status: Int
    public var code: Int
    public var message: String
    public var requestID: String?
    public var details: [FieldIssue]
    /// Seconds to wait before trying again (`Retry-After` of 429 and 503 answers).
    public var retryAfter: Int?

    public init(status: Int, code: Int, message: String, requestID: String?, details: [FieldIssue], retryAfter: Int?) {
        self.status = status
        self.code = code
        self.message = message
        self.requestID = requestID
        self.details = details
        self.retryAfter = retryAfter
    }

    /// Reads the envelope of a non-success response; nil when the body is not one.
    public init?(_ response: ClientResponse) {
        guard !(200..<300).contains(response.status), case .object(let object)? = try? JSONParser.parse(response.body),
              case .integer(let code)? = object["code"], case .string(let message)? = object["message"] else { return nil }
        var details: [FieldIssue] = []
        if case .array(let items)? = object["details"] {
            for item in items {
                if case .object(let detail) = item, case .string(let field)? = detail["field"], case .string(let reason)? = detail["reason"] {
                    details.append(FieldIssue(field: field, reason: reason))
                }
            }
        }
        var requestID: String?
        if case .string(let id)? = object["requestId"] { requestID = id }
        self.init(
            status: response.status, code: Int(code), message: message, requestID: requestID ?? response.header("X-Request-Id"),
            details: details, retryAfter: response.header("Retry-After").flatMap { Int($0) })
    }

    public var description: String {
        "\(code) \(message)" + (details.isEmpty ? "" : " (" + details.map { "\($0.field): \($0.reason)" }.joined(separator: "; ") + ")")
            + (requestID.map { " [request \($0)]" } ?? "")
    }
}
