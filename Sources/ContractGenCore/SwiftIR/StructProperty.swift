import Mustache

/// A property of a generated struct and how it is decoded, encoded and passed to `check`.
struct StructProperty: Sendable {
    /// How the property is read from and written to JSON.
    enum Coding: String, Sendable, CaseIterable {
        /// Required, not nullable.
        case required
        /// Required, may be `null`.
        case requiredNullable
        /// Optional with a default from the contract (`defaultLiteral`).
        case optionalWithDefault
        /// Optional, not nullable.
        case optional
        /// Optional and nullable: absent, `null` or a value (`Nullable<…>?`).
        case optionalNullable
        /// The properties the contract does not name, typed by `additionalProperties` (`baseType` is the value's type).
        case additional
        /// Required, and a string that can have one value only (`constantLiteral`): not stored, nor an argument of
        /// `init`; decoding checks it, encoding writes it.
        case constant
    }

    var docLines: [String]
    /// The member's name, and the local `init?(json:)` and `check` use for it.
    var member: String
    var local: String
    /// The stored type, and the type read from JSON (without optionality; the value type for `additional`).
    var type: SwiftType
    var baseType: SwiftType
    /// The JSON key, as a string literal.
    var key: String
    var coding: Coding
    var defaultLiteral = ""
    /// The one value of a `constant`, as a string literal.
    var constantLiteral = ""
    /// Stored through `@Indirect` to break a cycle of value types.
    var indirect = false

    /// The `JSONObjectReader` method that reads it, and the `JSONObjectWriter` method that writes it.
    var readerMethod: String {
        switch coding {
        case .required: "required"
        case .constant: "constant"
        case .requiredNullable: "requiredNullable"
        case .optionalWithDefault, .optional: "optional"
        case .optionalNullable, .additional: "optionalNullable"
        }
    }
    var writerMethod: String {
        switch coding {
        case .required, .optionalWithDefault, .additional, .constant: "set"
        case .requiredNullable: "setNullable"
        case .optional, .optionalNullable: "setIfPresent"
        }
    }

    /// The default argument of `init` (and the value decoding falls back to): the contract's default,
    /// nil for optional properties, an empty dictionary for the unnamed ones.
    var defaultArgument: String? {
        switch coding {
        case .optionalWithDefault: defaultLiteral
        case .optional, .optionalNullable: "nil"
        case .additional: "[:]"
        case .required, .requiredNullable, .constant: nil
        }
    }

    /// The type `check` (and `checkRules`) take the property as: optional, since decoding may have failed.
    var checkType: SwiftType { type.optionalized }
}

extension StructProperty: MustacheParent {
    func child(named name: String) -> Any? {
        if let coding = Coding(rawValue: name) { return self.coding == coding }
        switch name {
        case "docLines": return docLines
        case "member": return member
        case "local": return local
        case "type": return type
        case "baseType": return baseType
        case "key": return key
        case "defaultLiteral": return defaultLiteral
        case "constantLiteral": return constantLiteral
        case "readerMethod": return readerMethod
        case "writerMethod": return writerMethod
        case "defaultArgument": return defaultArgument.map { $0 as Any } ?? false
        case "decodedDefault": return coding == .optionalWithDefault ? defaultLiteral : false
        case "indirect": return indirect
        case "localIsMember": return local == member
        case "checkType": return checkType
        default: return nil
        }
    }
}
