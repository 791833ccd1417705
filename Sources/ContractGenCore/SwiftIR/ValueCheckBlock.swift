import Mustache

/// The checks of one property or parameter, run only when it holds a value: the value is bound to
/// a local (unwrapping an optional or a `Nullable`) and the statements check it. Rendered by `check-block.mustache`.
struct ValueCheckBlock: Sendable {
    /// How the value is bound before it is checked.
    enum Binding: String, Sendable, CaseIterable {
        /// `if let` of an optional.
        case optional
        /// `if case .value(let …)?` of an optional `Nullable`.
        case nullable
        /// A value that is always there, bound in a `do` block.
        case present
    }

    var binding: Binding
    /// The local the value is bound to (what the statements check).
    var local: String
    /// Where the value comes from: a local of the decoder, or a member of `self` when `throughSelf`.
    var source: String
    var throughSelf: Bool
    var statements: [ValidationStatement]

    /// The one statement when it is only the nested value's own validation (written as one call, `x?.validate(…)`).
    var onlyNested: ValidationStatement? {
        guard binding != .nullable, statements.count == 1, statements[0].kind == .nested else { return nil }
        return statements[0]
    }
}

extension ValueCheckBlock: MustacheParent {
    func child(named name: String) -> Any? {
        if let binding = Binding(rawValue: name) { return self.binding == binding }
        switch name {
        case "local": return local
        case "source": return source
        case "throughSelf": return throughSelf
        case "statements": return statements
        case "onlyNested": return onlyNested.map { $0 as Any } ?? false
        default: return nil
        }
    }
}
