import Mustache

/// One `SET` item of a generated `UPDATE`: a bound value, `now()` for `updated_at`, or the version moved on by one.
struct SQLAssignment: Sendable {
    enum Value: String, Sendable, CaseIterable {
        case placeholder, now, increment
    }
    /// The quoted identifier, escaped for a Swift string literal.
    var column: String
    var value: Value
    var placeholder = 0
}

extension SQLAssignment: MustacheParent {
    func child(named key: String) -> Any? {
        if let value = Value(rawValue: key) { return self.value == value }
        switch key {
        case "column": return column
        case "placeholderIndex": return placeholder
        default: return nil
        }
    }
}
