import ContractRuntime
import HTTPTypes
import Hummingbird

/// What a generated operation output turns into before the runtime writes it.
public struct OperationResponse: Sendable {
    /// The body of a response.
    public enum Body: Sendable {
        /// Wrapped as `{code: 0, message, requestId, data}`.
        case envelope(data: JSONValue)
        /// Written as it is.
        case json(JSONValue)
        /// A non-JSON body (files, server-sent events) with its media type.
        case raw(contentType: String, body: ResponseBody)
        case empty
    }

    public var status: Int
    public var body: Body
    public var headers: [(name: String, value: String)]
    /// Where the body breaks the contract (filled when response validation is on).
    public var contractIssues: [FieldIssue]

    public init(status: Int, body: Body, headers: [(name: String, value: String)] = [], contractIssues: [FieldIssue] = []) {
        self.status = status
        self.body = body
        self.headers = headers
        self.contractIssues = contractIssues
    }

    /// Builds the response of a JSON value, validated when asked.
    public static func json<T: ContractCodable>(status: Int, _ value: T, envelope: Bool, validate: Bool, headers: [(name: String, value: String)] = []) -> OperationResponse {
        let issues = validate ? value.validationIssues() : []
        return OperationResponse(status: status, body: envelope ? .envelope(data: value.json) : .json(value.json), headers: headers, contractIssues: issues)
    }

    /// Builds a raw response; a media type the contract does not declare for it is a contract issue.
    public static func raw(status: Int, _ content: RawContent, declared: [String], headers: [(name: String, value: String)] = []) -> OperationResponse {
        let mediaType = ContractServer.mediaType(of: content.contentType)
        let issues = declared.contains { ContractServer.mediaType(of: $0) == mediaType }
            ? [] : [FieldIssue(field: "/header/Content-Type", reason: "\(content.contentType) is not one of \(declared.joined(separator: ", "))")]
        return OperationResponse(status: status, body: .raw(contentType: content.contentType, body: content.body), headers: headers, contractIssues: issues)
    }

    /// Builds the response of a plain JSON-convertible value (arrays, maps, scalars).
    public static func json<T: JSONConvertible>(status: Int, _ value: T, envelope: Bool, headers: [(name: String, value: String)] = []) -> OperationResponse {
        OperationResponse(status: status, body: envelope ? .envelope(data: value.json) : .json(value.json), headers: headers)
    }
}
