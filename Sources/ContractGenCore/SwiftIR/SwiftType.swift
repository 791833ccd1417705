import Mustache

/// A Swift type as data: a name, or an array, `[String: …]` dictionary, optional or `Nullable` of
/// another type. Rendered by `inline-type.mustache`.
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
    func child(named key: String) -> Any? {
        switch (key, self) {
        case ("named", .named(let name)): name
        case ("array", .array(let element)): element
        case ("dictionary", .dictionary(let value)): value
        case ("optional", .optional(let wrapped)): wrapped
        case ("nullable", .nullable(let wrapped)): wrapped
        case ("named", _), ("array", _), ("dictionary", _), ("optional", _), ("nullable", _): false
        default: nil
        }
    }
}
