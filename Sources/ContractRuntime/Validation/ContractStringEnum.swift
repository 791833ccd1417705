/// A string enumeration generated from a contract's `enum`: its JSON, `Codable` and parameter forms come from the
/// raw values, so a generated enum declares only its cases.
public protocol ContractStringEnum: ContractCodable, ParameterConvertible, CaseIterable, RawRepresentable
where RawValue == String {}

extension ContractStringEnum {
    @inlinable
    public init?(json: JSONValue, at path: JSONPath, issues: inout FieldIssues) {
        guard let raw = String(json: json, at: path, issues: &issues) else { return nil }
        guard let value = Self(rawValue: raw) else {
            issues.add(path, "must be one of \(Self.allCases.map(\.rawValue).joined(separator: ", "))")
            return nil
        }
        self = value
    }

    @inlinable
    public var json: JSONValue { .string(rawValue) }

    // Restated here: a raw-value enum would otherwise find both these and `RawRepresentable`'s and take neither.
    public init(from decoder: any Decoder) throws {
        self = try ContractCoding.decode(Self.self, from: decoder)
    }

    public func encode(to encoder: any Encoder) throws {
        try ContractCoding.encode(self, to: encoder)
    }
}
