/// Reads the properties of one JSON object for a generated initializer, recording an issue
/// for each missing, null, mistyped or unknown property.
public struct JSONObjectReader {
    public let object: JSONObject
    public let path: JSONPath

    public init?(_ json: JSONValue, at path: JSONPath, issues: inout FieldIssues) {
        guard case .object(let object) = json else {
            issues.add(path, "must be an object, not \(json.typeName)")
            return nil
        }
        self.object = object
        self.path = path
    }

    /// Properties the schema does not declare, when it says `additionalProperties: false`.
    public func rejectUnknownKeys(_ allowed: Set<String>, issues: inout FieldIssues) {
        for key in object.keys where !allowed.contains(key) {
            issues.add(path.appending(key), "is not a known property")
        }
    }

    /// The keys the schema does not declare (for `additionalProperties: <schema>`).
    public func additionalKeys(excluding known: Set<String>) -> [String] {
        object.keys.filter { !known.contains($0) }
    }

    /// A required, non-nullable property.
    public func required<T: JSONConvertible>(_ key: String, as type: T.Type = T.self, issues: inout FieldIssues) -> T? {
        guard let value = object[key] else {
            issues.add(path.appending(key), "is required")
            return nil
        }
        if value.isNull {
            issues.add(path.appending(key), "must not be null")
            return nil
        }
        return T(json: value, at: path.appending(key), issues: &issues)
    }

    /// A required string that can only be `value` (an `enum` of one value, or `const`): the generated type does not
    /// store it, so this only checks it is there and is that value, and returns it.
    @discardableResult
    public func constant(_ key: String, _ value: String, issues: inout FieldIssues) -> String? {
        guard let text = required(key, as: String.self, issues: &issues) else { return nil }
        guard text == value else {
            issues.add(path.appending(key), "must be one of \(value)")
            return nil
        }
        return text
    }

    /// A required property whose value may be `null`.
    public func requiredNullable<T: JSONConvertible>(_ key: String, as type: T.Type = T.self, issues: inout FieldIssues) -> T? {
        guard let value = object[key] else {
            issues.add(path.appending(key), "is required")
            return nil
        }
        if value.isNull { return nil }
        return T(json: value, at: path.appending(key), issues: &issues)
    }

    /// An optional, non-nullable property: absent is nil, `null` is an issue.
    public func optional<T: JSONConvertible>(_ key: String, as type: T.Type = T.self, issues: inout FieldIssues) -> T? {
        guard let value = object[key] else { return nil }
        if value.isNull {
            issues.add(path.appending(key), "must not be null")
            return nil
        }
        return T(json: value, at: path.appending(key), issues: &issues)
    }

    /// An optional property that may also be `null`.
    public func optionalNullable<T: JSONConvertible>(_ key: String, as type: T.Type = T.self, issues: inout FieldIssues) -> Nullable<T>? {
        guard let value = object[key] else { return nil }
        return Nullable<T>(json: value, at: path.appending(key), issues: &issues)
    }
}

/// Builds the JSON object of a generated type, in contract order.
public struct JSONObjectWriter {
    public private(set) var object = JSONObject()

    public init() {}

    public mutating func set<T: JSONConvertible>(_ key: String, _ value: T) {
        object[key] = value.json
    }

    /// Writes `null` explicitly for a required nullable property.
    public mutating func setNullable<T: JSONConvertible>(_ key: String, _ value: T?) {
        object[key] = value?.json ?? .null
    }

    /// Omits an absent optional property.
    public mutating func setIfPresent<T: JSONConvertible>(_ key: String, _ value: T?) {
        if let value { object[key] = value.json }
    }

    public var json: JSONValue { .object(object) }
}
