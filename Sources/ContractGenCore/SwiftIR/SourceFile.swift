import Mustache

/// A generated Swift file: where it comes from, its imports and its rendered declarations in order.
/// Rendered by `file.mustache`.
struct SourceFile: Sendable, MustacheParent {
    /// The contract files it is generated from, as shown in its header.
    var sources: String
    var imports: [String]
    var declarations: [String]

    func child(named name: String) -> Any? {
        switch name {
        case "sources": sources
        case "imports": imports
        case "declarations": declarations
        default: nil
        }
    }
}
