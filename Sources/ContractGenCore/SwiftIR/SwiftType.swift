import Mustache

/// A Swift type as data: a name, or an array, `[String: …]` dictionary, optional or `Nullable` of
/// another type. Rendered by `inline-type.mustache`, which picks the template of its kind.
indirect enum SwiftType: Sendable, Hashable {
    case named(String)
    case array(SwiftType)
    case dictionary(SwiftType)
    case optional(SwiftType)
    /// `Nullable<…>`: a value or an explicit JSON `null`.
    case nullable(SwiftType)

    var isOptional: Bool {
        if case .optional = self { return true }
        return false
    }

    /// The type itself when it is optional, else its optional.
    var optionalized: SwiftType { isOptional ? self : .optional(self) }

    /// The type without one level of optionality.
    var unwrapped: SwiftType {
        if case .optional(let wrapped) = self { return wrapped }
        return self
    }

    /// The same type with the names in `names` written as members of `namespace`.
    func qualifying(_ names: Set<String>, in namespace: String) -> SwiftType {
        switch self {
        case .named(let name): names.contains(name) ? .named(namespace + "." + name) : self
        case .array(let element): .array(element.qualifying(names, in: namespace))
        case .dictionary(let value): .dictionary(value.qualifying(names, in: namespace))
        case .optional(let wrapped): .optional(wrapped.qualifying(names, in: namespace))
        case .nullable(let wrapped): .nullable(wrapped.qualifying(names, in: namespace))
        }
    }

    /// The named types it is made of, in order (for names derived from a type, like a union's cases).
    var names: [String] {
        switch self {
        case .named(let name): [name]
        case .dictionary(let value): ["String"] + value.names
        case .array(let type), .optional(let type), .nullable(let type): type.names
        }
    }
}

extension SwiftType: MustacheParent {
    /// `typeTemplate` names the template of the type's kind (`inline-type-array`, …), which renders
    /// `name` or the `wrapped` type.
    func child(named key: String) -> Any? {
        switch key {
        case "typeTemplate":
            switch self {
            case .named: "inline-type-named"
            case .array: "inline-type-array"
            case .dictionary: "inline-type-dictionary"
            case .optional: "inline-type-optional"
            case .nullable: "inline-type-nullable"
            }
        case "name":
            if case .named(let name) = self { name } else { "" }
        case "wrapped":
            switch self {
            case .named: false
            case .array(let wrapped), .dictionary(let wrapped), .optional(let wrapped), .nullable(let wrapped): wrapped
            }
        default: nil
        }
    }
}
