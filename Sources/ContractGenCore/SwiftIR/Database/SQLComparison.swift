import Mustache

/// `"column" = $n` in a generated statement's `WHERE`; the column is a quoted identifier, escaped
/// for a Swift string literal.
struct SQLComparison: Sendable, MustacheParent {
    var column: String
    var placeholder: Int

    func child(named key: String) -> Any? {
        switch key {
        case "column": column
        case "placeholder": placeholder
        default: nil
        }
    }
}
