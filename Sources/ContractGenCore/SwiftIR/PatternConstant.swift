import Mustache

/// A `pattern` a declaration compiles once (`static let patternN`), referred to by its checks by index.
struct PatternConstant: Sendable, MustacheParent {
    var index: Int
    /// The regular expression as a raw string literal.
    var literal: String

    func child(named name: String) -> Any? {
        switch name {
        case "index": index
        case "literal": literal
        default: nil
        }
    }
}
