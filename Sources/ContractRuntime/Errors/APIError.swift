/// An error answered with the contract's error envelope: a catalog entry, an optional message
/// that replaces the catalog text, and field details.
public struct APIError: Error, Sendable, Hashable, CustomStringConvertible {
    public var descriptor: ErrorDescriptor
    public var message: String?
    public var details: [FieldIssue]
    /// Extra response headers (`Allow`, `Retry-After`).
    public var headers: [String: String]

    public init(_ descriptor: ErrorDescriptor, message: String? = nil, details: [FieldIssue] = [], headers: [String: String] = [:]) {
        self.descriptor = descriptor
        self.message = message
        self.details = details
        self.headers = headers
    }

    public var description: String {
        "\(descriptor.code) \(descriptor.name)" + (message.map { ": \($0)" } ?? "")
    }

    /// `{code, message, requestId, details?}`
    public func envelope(requestID: String, language: LanguagePreference) -> JSONValue {
        var object = JSONObject()
        object["code"] = .integer(Int64(descriptor.code))
        object["message"] = .string(message ?? descriptor.message(for: language))
        object["requestId"] = .string(requestID)
        if !details.isEmpty {
            object["details"] = .array(details.map { .object(JSONObject([("field", .string($0.field)), ("reason", .string($0.reason))])) })
        }
        return .object(object)
    }
}

/// An error a handler may throw that the runtime answers with the error envelope; generated
/// per-operation failure types conform, so only declared codes can be thrown.
public protocol APIErrorConvertible: Error, Sendable {
    var apiError: APIError { get }
}

extension APIError: APIErrorConvertible {
    public var apiError: APIError { self }
}
