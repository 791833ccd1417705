/// A value of one string enum that the other lacks (answered as an internal error).
public struct EnumMismatch: Error, CustomStringConvertible {
    public let value: String
    public let target: String

    public init(value: String, target: String) {
        self.value = value
        self.target = target
    }

    public var description: String { "'\(value)' is not a value of \(target)" }
}

/// The case of `Target` with the raw value of `value`. Made for moving between an API enum and the
/// database enum of the columns bound to it (`x-table`), whose values contractgen requires to be
/// the same (`[api-db-binding]` fails the build otherwise), so there it always succeeds; elsewhere
/// a value the other side lacks throws rather than being replaced by a guess.
public func converted<Target: RawRepresentable<String>>(_ value: some RawRepresentable<String>, to target: Target.Type = Target.self) throws(EnumMismatch) -> Target {
    guard let result = Target(rawValue: value.rawValue) else { throw EnumMismatch(value: value.rawValue, target: "\(Target.self)") }
    return result
}

/// The case of `Target` whose raw value is `rawValue` (an element of a text array column, say);
/// throws rather than dropping a value `Target` lacks.
public func converted<Target: RawRepresentable<String>>(rawValue: String, to target: Target.Type = Target.self) throws(EnumMismatch) -> Target {
    guard let result = Target(rawValue: rawValue) else { throw EnumMismatch(value: rawValue, target: "\(Target.self)") }
    return result
}
