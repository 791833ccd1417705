import Mustache

/// A generated enum for `oneOf`/`anyOf` alternatives, one case per alternative, chosen by a
/// discriminator or by trying each. Rendered by `union.mustache`.
struct UnionDeclaration: Sendable {
    /// One alternative.
    struct Case: Sendable, MustacheParent {
        var name: String
        var type: SwiftType
        /// The alternative is a generated type with a `validate` method.
        var validates: Bool
        /// The discriminator's values that choose it, as string literals.
        var discriminatorValues: [String]

        func child(named name: String) -> Any? {
            switch name {
            case "name": self.name
            case "type": type
            case "validates": validates
            case "discriminatorValues": discriminatorValues
            case "hasDiscriminatorValues": !discriminatorValues.isEmpty
            default: nil
            }
        }
    }

    var docLines: [String]
    var access: String
    var name: String
    var cases: [Case]
    /// `oneOf`: exactly one alternative may match.
    var exclusive: Bool
    /// The discriminator property's name as a string literal, when the contract declares one.
    var discriminator: String?
    var nested: [SwiftDeclaration]
}

extension UnionDeclaration: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "docLines": docLines
        case "access": access
        case "name": self.name
        case "cases": cases
        case "exclusive": exclusive
        case "discriminator": discriminator.map { $0 as Any } ?? false
        case "nested": nested
        case "validates": cases.contains(where: \.validates)
        default: nil
        }
    }
}
