/// A value generated from a contract schema: decoded from JSON with every problem collected,
/// encoded back in contract order, and re-validatable (for responses the service builds).
public protocol ContractCodable: JSONConvertible, Codable {
    /// Checks the schema's constraints on a value built in code.
    func validate(at path: JSONPath, into issues: inout FieldIssues)
}

extension ContractCodable {
    public func validate(at path: JSONPath, into issues: inout FieldIssues) {}

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
