import Foundation
import ContractRuntime

/// A request a generated client method built: the operation, its method and filled-in path, query
/// items, headers and body, and what the contract says about sending credentials and retrying it.
public struct ClientRequest: Sendable {
    public var operationID: String
    public var method: String
    /// The path with its parameters filled in and percent-encoded (`/v1/tasks/3f…`).
    public var path: String
    public var query: [(name: String, value: String)] = []
    public var headers: [(name: String, value: String)] = []
    public var body: [UInt8]?
    /// The operation's security admits a bearer token: the token middleware attaches one.
    public var sendsCredentials: Bool
    /// The caller asked for the response to be streamed (server-sent events).
    public var streams = false
    /// A whole URL to send to instead of the base URL and `path` (a presigned upload or download link).
    public var absoluteURL: String?

    public init(operationID: String, method: String, pathTemplate: String, sendsCredentials: Bool) {
        self.operationID = operationID
        self.method = method
        self.path = pathTemplate
        self.sendsCredentials = sendsCredentials
    }

    /// A request to a presigned URL the service handed out (its signature is the credential).
    public init(presignedURL: String, method: String) {
        self.init(operationID: "presigned", method: method, pathTemplate: "", sendsCredentials: false)
        absoluteURL = presignedURL
    }

    /// Fills in the path parameter `{name}`.
    public mutating func setPath(_ name: String, _ value: some ParameterConvertible) {
        guard let placeholder = path.firstRange(of: "{" + name + "}") else { return }
        path.replaceSubrange(placeholder, with: PercentEncoding.pathSegment(value.parameterText))
    }

    public mutating func addQuery(_ name: String, _ value: (some ParameterConvertible)?) {
        if let value { query.append((name, value.parameterText)) }
    }

    /// An array query parameter: one `name=value` item per element (`explode`).
    public mutating func addQuery(_ name: String, _ values: [some ParameterConvertible]?) {
        for value in values ?? [] { query.append((name, value.parameterText)) }
    }

    public mutating func setHeader(_ name: String, _ value: (some ParameterConvertible)?) {
        guard let value else { return }
        headers.removeAll { $0.name.lowercased() == name.lowercased() }
        headers.append((name, value.parameterText))
    }

    /// The value of a header, compared without case.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// A JSON body.
    public mutating func setJSONBody(_ value: some JSONConvertible) {
        body = JSONSerializer.serialize(value.json)
        setHeader("Content-Type", "application/json")
    }

    /// A `multipart/form-data` body.
    public mutating func setFormBody(_ form: some ContractForm) {
        let encoded = MultipartEncoding.body(of: form.formParts)
        body = encoded.bytes
        setHeader("Content-Type", encoded.contentType)
    }

    /// Bytes of a declared media type.
    public mutating func setRawBody(_ bytes: [UInt8], contentType: String) {
        body = bytes
        setHeader("Content-Type", contentType)
    }

    /// Whether sending it twice cannot do anything twice: a GET or HEAD, or a request that carries an
    /// `Idempotency-Key` (the service answers a repeat with the first answer).
    public var isIdempotent: Bool {
        ["GET", "HEAD"].contains(method) || header("Idempotency-Key") != nil
    }
}
