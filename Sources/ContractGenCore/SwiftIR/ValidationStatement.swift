import Mustache

/// One statement of a generated validator, as data: a runtime `Check` of a value, a loop that checks
/// each element of a collection, or the validation of a nested generated value. Rendered by `check.mustache`,
/// which picks the template of its kind (`check-length.mustache`, `check-elements.mustache`, …).
struct ValidationStatement: Sendable {
    /// What the statement does; each kind has its template.
    enum Kind: String, Sendable, CaseIterable {
        /// `minLength`/`maxLength` of a string.
        case length
        /// `pattern`, through the declaration's precompiled pattern `patternIndex`.
        case pattern
        /// A string `format` the runtime checks (`formatName`).
        case format
        /// `minimum`, `maximum` and their exclusive forms (`bounds`).
        case range
        /// `multipleOf` (`divisor`).
        case multiple
        /// An enumeration of numbers (`allowedValues`).
        case allowed
        /// `minItems`/`maxItems` of an array.
        case items
        /// `uniqueItems`.
        case unique
        /// `minProperties`/`maxProperties` of a map.
        case propertyCount
        /// A loop over an array's elements (`index`, `element`), checking each with `body`.
        case elements
        /// A loop over a map's entries (`index` names the key), checking each value with `body`.
        case entries
        /// `validate(at:into:)` of a generated type.
        case nested
    }

    /// A bound of a `range` check: the runtime's argument label and the constant.
    struct Bound: Sendable, MustacheParent {
        var label: String
        var literal: String
        func child(named name: String) -> Any? {
            switch name {
            case "label": label
            case "literal": literal
            default: nil
            }
        }
    }

    var kind: Kind
    /// The local holding the checked value.
    var value: String
    var path: JSONPathExpression
    /// `length`, `items`, `propertyCount`: the bounds as literals (`nil` when absent).
    var minimum = "nil"
    var maximum = "nil"
    var patternIndex = 0
    var formatName = ""
    var bounds: [Bound] = []
    var divisor = ""
    var allowedValues: [String] = []
    /// The value is converted before the check: an integer checked in floating point (`multiple`),
    /// or widened to `Int64` to compare with the allowed integers (`allowed`).
    var asDouble = false
    var asInt64 = false
    /// Loop variables of `elements` and `entries`.
    var index = ""
    var element = ""
    var body: [ValidationStatement] = []
}

extension ValidationStatement: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "checkTemplate": return kind == .propertyCount ? "check-property-count" : "check-" + kind.rawValue
        case "value": return value
        case "path": return path
        case "minimum": return minimum
        case "maximum": return maximum
        case "patternIndex": return patternIndex
        case "formatName": return formatName
        case "bounds": return bounds
        case "divisor": return divisor
        case "allowedValues": return allowedValues
        case "asDouble": return asDouble
        case "asInt64": return asInt64
        case "index": return index
        case "element": return element
        case "body": return body
        default: return nil
        }
    }
}
