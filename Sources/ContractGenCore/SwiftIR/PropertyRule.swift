import Mustache

/// A rule across an object's properties (`anyOf`, `oneOf`, `not` of required names and constant
/// values), as data for the `checkRules` function. Rendered by `rule.mustache`.
struct PropertyRule: Sendable {
    enum Kind: String, Sendable, CaseIterable {
        case anyOf, oneOf, not
    }

    /// One alternative: every term holds.
    struct Condition: Sendable, MustacheParent {
        /// How the alternative is described in the issue, as a string literal.
        var summary: String
        var terms: [Term]
        /// The condition names a property the object does not have: it never holds.
        var impossible: Bool

        func child(named name: String) -> Any? {
            switch name {
            case "summary": summary
            case "terms": terms
            case "impossible": impossible
            default: nil
            }
        }
    }

    /// A property is present, or equal to a constant.
    struct Term: Sendable, MustacheParent {
        /// The parameter of `checkRules` holding the property.
        var local: String
        /// Only presence is required (no constant).
        var presence: Bool
        /// The constant, as a Swift literal.
        var literal: String
        /// The property is an optional `Nullable`: the constant is compared as `.value(…)`.
        var wrapsNullable: Bool

        func child(named name: String) -> Any? {
            switch name {
            case "local": local
            case "presence": presence
            case "literal": literal
            case "wrapsNullable": wrapsNullable
            default: nil
            }
        }
    }

    var kind: Kind
    var conditions: [Condition]
}

extension PropertyRule: MustacheParent {
    func child(named name: String) -> Any? {
        if let kind = Kind(rawValue: name) { return self.kind == kind }
        switch name {
        case "conditions": return conditions
        default: return nil
        }
    }
}
