import Mustache

/// The generated client type and the `ClientOperations` namespace its operations live in.
/// Rendered by `client.mustache`.
struct ClientDeclaration: Sendable, MustacheParent {
    var access: String
    var name: String
    var title: String
    var version: String

    func child(named key: String) -> Any? {
        switch key {
        case "access": access
        case "name": name
        case "title": title
        case "version": version
        default: nil
        }
    }
}
