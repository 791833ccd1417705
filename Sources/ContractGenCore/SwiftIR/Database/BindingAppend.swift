import Mustache

/// A value appended to a statement's bindings (`bindings.append(…)`): a local, or a member of `row`;
/// `try` when encoding its type can throw. Rendered by `binding.mustache`.
struct BindingAppend: Sendable, MustacheParent {
    var name: String
    var ofRow: Bool
    var throwing: Bool

    func child(named key: String) -> Any? {
        switch key {
        case "name": name
        case "ofRow": ofRow
        case "throwing": throwing
        default: nil
        }
    }
}
