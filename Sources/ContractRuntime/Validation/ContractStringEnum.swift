import Synchronization

/// A string enumeration generated from a contract's `enum`: its JSON, `Codable` and parameter forms come from the
/// raw values, so a generated enum declares only its cases.
public protocol ContractStringEnum: ContractCodable, ParameterConvertible, CaseIterable, RawRepresentable
where RawValue == String {}

extension ContractStringEnum {
    @inlinable
    public init?(json: JSONValue, at path: JSONPath, issues: inout FieldIssues) {
        guard let raw = String(json: json, at: path, issues: &issues) else { return nil }
        guard let value = Self(rawValue: raw) else {
            issues.add(path, Self.unknownValueReason)
            return nil
        }
        self = value
    }

    @inlinable
    public var json: JSONValue { .string(rawValue) }

    /// "must be one of A, B, C": listed once per type, not on every refused value (an API under attack refuses many).
    public static var unknownValueReason: String {
        let type = ObjectIdentifier(Self.self)
        if let reason = unknownValueReasons.withLock({ $0[type] }) { return reason }
        let reason = "must be one of " + allCases.map(\.rawValue).joined(separator: ", ")
        unknownValueReasons.withLock { $0[type] = reason }
        return reason
    }

    // Equality and hashing by raw value, declared here so a generated enum needs no synthesized ones (a raw-value
    // enum would otherwise also find `ContractCodable`'s, through its JSON).
    @inlinable
    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.rawValue == rhs.rawValue
    }

    @inlinable
    public func hash(into hasher: inout Hasher) {
        hasher.combine(rawValue)
    }

    // Restated here: a raw-value enum would otherwise find both these and `RawRepresentable`'s and take neither.
    public init(from decoder: any Decoder) throws {
        self = try ContractCoding.decode(Self.self, from: decoder)
    }

    public func encode(to encoder: any Encoder) throws {
        try ContractCoding.encode(self, to: encoder)
    }
}

/// `unknownValueReason` of each enum type, made on first use.
private let unknownValueReasons = Mutex<[ObjectIdentifier: String]>([:])
