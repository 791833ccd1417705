import Mustache

/// The generated namespace of one operation (`Operations.<Id>`): its descriptor, input with the
/// decoding and checks of every parameter and body, outputs and declared failures. Rendered by `operation.mustache`.
struct OperationDeclaration: Sendable {
    /// A stored property of `Input` and the decoder's local it is made from.
    struct InputProperty: Sendable, MustacheParent {
        var docLines: [String]
        var name: String
        var local: String
        var type: SwiftType
        func child(named key: String) -> Any? {
            switch key {
            case "docLines": docLines
            case "name": name
            case "local": local
            case "type": type
            default: nil
            }
        }
    }

    /// One alternative of the operation's security: the schemes that together admit a caller.
    struct SecurityAlternative: Sendable, MustacheParent {
        /// A scheme, by its member of `Security`, and the scopes it must grant (string literals).
        struct Use: Sendable, MustacheParent {
            var scheme: String
            var scopes: [String]
            func child(named key: String) -> Any? {
                switch key {
                case "scheme": scheme
                case "scopes": scopes
                case "hasScopes": !scopes.isEmpty
                default: nil
                }
            }
        }
        var uses: [Use]
        func child(named key: String) -> Any? { key == "uses" ? uses : nil }
    }

    var docLines: [String]
    var access: String
    var name: String
    /// String literals of the descriptor.
    var operationID: String
    var method: String
    var path: String
    var security: [SecurityAlternative]
    var roles: [String]
    var contentTypes: [String]
    var bodyRequired: Bool
    var bodyIsRaw: Bool
    var patterns: [PatternConstant]
    var inputProperties: [InputProperty]
    var decoding: OperationDecoding
    var checkBlocks: [ValueCheckBlock]
    var outputCases: [OperationOutputCase]
    var failures: [DeclaredFailure]
    var nested: [SwiftDeclaration]
}

extension OperationDeclaration: MustacheParent {
    func child(named key: String) -> Any? {
        switch key {
        case "docLines": docLines
        case "access": access
        case "name": name
        case "operationID": operationID
        case "method": method
        case "path": path
        case "security": security
        case "roles": roles
        case "contentTypes": contentTypes
        case "bodyRequired": bodyRequired
        case "bodyIsRaw": bodyIsRaw
        case "patterns": patterns
        case "inputProperties": inputProperties
        case "decoding": decoding
        case "checkBlocks": checkBlocks
        case "outputCases": outputCases
        case "failures": failures
        case "nested": nested
        default: nil
        }
    }
}
