/// A value generated from a contract schema: decoded from JSON with every problem collected,
/// encoded back in contract order, and re-validatable (for responses the service builds).
public protocol ContractCodable: JSONConvertible, Codable {
    /// Checks the schema's constraints on a value built in code.
    func validate(at path: JSONPath, into issues: inout FieldIssues)
}

extension ContractCodable {
    public func validate(at path: JSONPath, into issues: inout FieldIssues) {}

    /// `Codable` through the contract's JSON: decoding validates as `init?(json:)` does. Generated types take these
    /// rather than writing their own (a default in a protocol extension wins over the synthesized conformance).
    public init(from decoder: any Decoder) throws {
        self = try ContractCoding.decode(Self.self, from: decoder)
    }

    public func encode(to encoder: any Encoder) throws {
        try ContractCoding.encode(self, to: encoder)
    }

    /// Equality and hashing of what the value is in the contract, its JSON (objects compare without regard to key
    /// order): generated types take these rather than the synthesized member-by-member ones, which were a large part of
    /// the time a big contract takes to compile (every `==` over every property type-checked and code-generated).
    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.json == rhs.json
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(json)
    }

    /// Decodes and validates, throwing `ContractValidationError` with every issue.
    public static func decode(json: JSONValue) throws(ContractValidationError) -> Self {
        var issues = FieldIssues()
        guard let value = Self(json: json, at: .root, issues: &issues), issues.isEmpty else {
            throw ContractValidationError(issues.all)
        }
        return value
    }

    /// Issues of a value built in code (empty when it satisfies the contract).
    public func validationIssues() -> [FieldIssue] {
        var issues = FieldIssues()
        validate(at: .root, into: &issues)
        return issues.all
    }
}

/// Helpers generated `Codable` conformances delegate to.
public enum ContractCoding {
    public static func decode<T: ContractCodable>(_ type: T.Type, from decoder: any Decoder) throws -> T {
        try T.decode(json: JSONValue(from: decoder))
    }

    public static func encode<T: ContractCodable>(_ value: T, to encoder: any Encoder) throws {
        try value.json.encode(to: encoder)
    }
}
