import Mustache

/// The handler protocol of one tag (`<Tag>API`): a method per operation, and the router extension
/// that registers them. Rendered by `handlers.mustache`.
struct HandlerProtocol: Sendable {
    /// One operation of the tag: the handler's method and its route.
    struct Operation: Sendable, MustacheParent {
        var docLines: [String]
        var name: String
        /// The operation's namespace under `Operations`.
        var namespace: String
        /// Path template and method, as string literals.
        var path: String
        var method: String

        func child(named key: String) -> Any? {
            switch key {
            case "docLines": docLines
            case "name": name
            case "namespace": namespace
            case "path": path
            case "method": method
            default: nil
            }
        }
    }

    var name: String
    var docLines: [String]
    var operations: [Operation]
}

extension HandlerProtocol: MustacheParent {
    func child(named key: String) -> Any? {
        switch key {
        case "name": name
        case "docLines": docLines
        case "operations": operations
        default: nil
        }
    }
}
