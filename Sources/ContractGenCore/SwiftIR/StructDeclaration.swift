import Mustache

/// A generated struct for an object schema: its properties, decoding, encoding and validation as data.
/// Rendered by `struct.mustache`.
struct StructDeclaration: Sendable {
    /// `minProperties`/`maxProperties`: counted over the keys when decoding, over the members that are set when validating.
    struct PropertyCount: Sendable, MustacheParent {
        var minimum: String
        var maximum: String
        /// Members that are never absent, and those that may be.
        var alwaysPresent: Int
        var optionalMembers: [String]
        /// The member holding the unnamed properties, counted too ("" when there is none).
        var additionalMember: String

        func child(named name: String) -> Any? {
            switch name {
            case "minimum": minimum
            case "maximum": maximum
            case "alwaysPresent": alwaysPresent
            case "optionalMembers": optionalMembers
            case "additionalMember": additionalMember.isEmpty ? false : additionalMember
            default: nil
            }
        }
    }

    var docLines: [String]
    var access: String
    var name: String
    /// Every property, constants included; the unnamed properties' member (`additional`) last.
    var properties: [StructProperty]
    var patterns: [PatternConstant]
    /// The keys the contract names, as string literals.
    var jsonKeys: [String]
    /// `additionalProperties: false`.
    var rejectsUnknownKeys: Bool
    /// The constraints of each property's value, run on the decoded locals (`check`).
    var checkBlocks: [ValueCheckBlock]
    /// The validation of nested generated values, run on the members (`validate`).
    var validationBlocks: [ValueCheckBlock]
    var rules: [PropertyRule]
    var propertyCount: PropertyCount?
    var nested: [SwiftDeclaration]
    /// A `multipart/form-data` body (`ContractForm`: read from form parts, written as parts) instead of a JSON value.
    var form = false

    /// The named keys are needed only to refuse or collect the others (a set per type costs compile time otherwise).
    var usesKeys: Bool { rejectsUnknownKeys || properties.contains { $0.coding == .additional } }

    /// The properties `init` takes and the struct stores (all but the constants).
    var storedProperties: [StructProperty] { properties.filter { $0.coding != .constant } }

    /// The properties `check` and `checkRules` take (the named ones).
    var checkedProperties: [StructProperty] { properties.filter { $0.coding != .additional } }
}

extension StructDeclaration: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "docLines": docLines
        case "access": access
        case "name": self.name
        case "properties": properties
        case "storedProperties": storedProperties
        case "checkedProperties": checkedProperties
        case "patterns": patterns
        case "jsonKeys": jsonKeys
        case "rejectsUnknownKeys": rejectsUnknownKeys
        case "usesKeys": usesKeys
        case "checkBlocks": checkBlocks
        case "hasChecks": !checkBlocks.isEmpty
        case "validationBlocks": validationBlocks
        case "rules": rules
        case "hasRules": !rules.isEmpty
        // `check` or `checkRules` take the decoded locals (a constant's is otherwise not needed).
        case "checksLocals": !checkBlocks.isEmpty || !rules.isEmpty
        case "propertyCount": propertyCount.map { $0 as Any } ?? false
        // Nothing to check: ContractCodable's default `validate` (which does nothing) serves.
        case "validates": !checkBlocks.isEmpty || !rules.isEmpty || !validationBlocks.isEmpty || propertyCount != nil
        case "nested": nested
        case "form": form
        default: nil
        }
    }
}
