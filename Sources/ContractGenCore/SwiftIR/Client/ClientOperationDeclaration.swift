import Mustache

/// One operation in a generated client: the client's method (parameters, body, checks before sending,
/// the request it builds) and the operation's namespace under `ClientOperations` (its patterns, the
/// `Response` of declared successes and the `Failure` of declared errors). Rendered by `client-operation.mustache`.
struct ClientOperationDeclaration: Sendable {
    /// A parameter of the method: label, local, type, and where its value travels.
    struct Parameter: Sendable, MustacheParent {
        enum Kind: String, Sendable, CaseIterable {
            case path, query, queryArray, header
            /// The body as JSON.
            case jsonBody
            /// The body as `multipart/form-data` (the operation's `Form`).
            case formBody
            /// The body's bytes, sent as `contentType` says.
            case rawBody
            /// The media type of a raw body (one the contract declares).
            case contentType
        }
        var label: String
        var local: String
        var type: SwiftType
        var kind: Kind
        /// The name on the wire, as a string literal.
        var key: String
        /// The default argument as a Swift literal ("" when there is none; optional parameters default to nil).
        var defaultLiteral: String
        /// The `Last-Event-ID` header of an event stream: a reconnection sets it to the last event's id.
        var resumes = false

        func child(named name: String) -> Any? {
            if let kind = Kind(rawValue: name) { return self.kind == kind }
            switch name {
            case "label": return label
            case "local": return local
            case "localIsLabel": return local == label
            case "type": return type
            case "optional": return type.isOptional
            case "key": return key
            case "defaultLiteral": return defaultLiteral.isEmpty ? false : defaultLiteral
            case "resumes": return resumes
            default: return nil
            }
        }
    }

    var docLines: [String]
    var access: String
    var method: String
    var namespace: String
    /// String literals.
    var operationID: String
    var httpMethod: String
    var path: String
    var sendsCredentials: Bool
    var parameters: [Parameter]
    /// The local holding the raw body's media type (when the body is raw).
    var contentTypeLocal: String
    var checkBlocks: [ValueCheckBlock]
    var patterns: [PatternConstant]
    var responses: [ClientResponseCase]
    var failures: [DeclaredFailure]
    var nested: [SwiftDeclaration]
    /// The type of each event's data when the operation answers server-sent events (the method then
    /// returns `ServerSentEvents` of it).
    var eventType: SwiftType?
}

extension ClientOperationDeclaration: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "docLines": docLines
        case "access": access
        case "method": method
        case "namespace": namespace
        case "operationID": operationID
        case "httpMethod": httpMethod
        case "path": path
        case "sendsCredentials": sendsCredentials
        case "parameters": parameters
        case "hasParameters": !parameters.isEmpty
        case "contentTypeLocal": contentTypeLocal
        case "checkBlocks": checkBlocks
        case "hasChecks": !checkBlocks.isEmpty
        case "patterns": patterns
        case "responses": responses
        // The one success answer, when the contract declares one and it has a body: `Response.body` reads it.
        case "onlyResponse": responses.count == 1 && responses[0].payload != nil ? responses[0] : false
        case "failures": failures
        case "hasFailures": !failures.isEmpty
        case "nested": nested
        case "eventType": eventType.map { $0 as Any } ?? false
        default: nil
        }
    }
}
