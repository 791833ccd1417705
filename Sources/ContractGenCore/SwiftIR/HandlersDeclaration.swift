import Mustache

/// The handler protocols of every tag, with their router extensions. Rendered by `handlers.mustache`.
struct HandlersDeclaration: Sendable, MustacheParent {
    var access: String
    var protocols: [HandlerProtocol]

    func child(named name: String) -> Any? {
        switch name {
        case "access": access
        case "protocols": protocols
        default: nil
        }
    }
}
