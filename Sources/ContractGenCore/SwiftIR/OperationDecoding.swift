import Mustache

/// How an operation's `decode` reads its input from the request's parts, in order: the principal,
/// each parameter, the body and its raw bytes. What is required and has no default is guarded.
struct OperationDecoding: Sendable {
    /// One parameter read from the path, the query (one value or an array) or a header.
    struct Parameter: Sendable, MustacheParent {
        enum Source: String, Sendable, CaseIterable {
            case path, query, queryArray, header
        }
        var source: Source
        var local: String
        /// The parameter's name as a string literal.
        var key: String
        var type: SwiftType
        var required: Bool
        /// The decoding issue's wording, as a string literal.
        var expectation: String
        /// The contract's default as a Swift literal ("" when there is none).
        var defaultLiteral: String

        /// Required without a default: `decode` stops when it is missing.
        var guarded: Bool { required && defaultLiteral.isEmpty }

        func child(named key: String) -> Any? {
            if let source = Source(rawValue: key) { return self.source == source }
            switch key {
            case "local": return local
            case "key": return self.key
            case "type": return type
            case "required": return required
            case "expectation": return expectation
            case "defaultLiteral": return defaultLiteral.isEmpty ? false : defaultLiteral
            case "guarded": return guarded
            default: return nil
            }
        }
    }

    /// The request body: decoded as `type`, or kept as bytes (`raw`); `keepsBytes` also keeps the bytes of a decoded body.
    struct Body: Sendable, MustacheParent {
        var raw: Bool
        /// A `multipart/form-data` body, read into the operation's `Form`.
        var form: Bool
        var type: SwiftType
        var required: Bool
        var keepsBytes: Bool
        func child(named key: String) -> Any? {
            switch key {
            case "raw": raw
            case "form": form
            case "type": type
            case "required": required
            case "keepsBytes": keepsBytes
            default: nil
            }
        }
    }

    /// The caller's principal is read (bearer security, required or optional), and whether it is required.
    var readsPrincipal: Bool
    var requiresPrincipal: Bool
    /// The scheme's typed principal the runtime's is made into (`x-principal`); nil keeps `Principal`.
    var typedPrincipal: String?
    var parameters: [Parameter]
    var body: Body?
}

extension OperationDecoding: MustacheParent {
    func child(named key: String) -> Any? {
        switch key {
        case "readsPrincipal": readsPrincipal
        case "requiresPrincipal": requiresPrincipal
        case "typedPrincipal": typedPrincipal.map { $0 as Any } ?? false
        case "parameters": parameters
        case "body": body.map { $0 as Any } ?? false
        default: nil
        }
    }
}
