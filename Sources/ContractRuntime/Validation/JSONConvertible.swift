import Foundation

/// A Swift value that a contract schema maps to, convertible to and from `JSONValue`.
public protocol JSONConvertible: Sendable, Hashable {
    /// Decodes `json`, adding an issue at `path` and returning nil when it does not fit.
    init?(json: JSONValue, at path: JSONPath, issues: inout FieldIssues)
    var json: JSONValue { get }
}

extension String: JSONConvertible {
    public init?(json: JSONValue, at path: JSONPath, issues: inout FieldIssues) {
        guard case .string(let value) = json else {
            issues.add(path, "must be a string, not \(json.typeName)")
            return nil
        }
        self = value
    }

    public var json: JSONValue { .string(self) }
}

extension Bool: JSONConvertible {
    public init?(json: JSONValue, at path: JSONPath, issues: inout FieldIssues) {
        guard case .bool(let value) = json else {
            issues.add(path, "must be a boolean, not \(json.typeName)")
            return nil
        }
        self = value
    }

    public var json: JSONValue { .bool(self) }
}

extension Int64: JSONConvertible {
    public init?(json: JSONValue, at path: JSONPath, issues: inout FieldIssues) {
        switch json {
        case .integer(let value):
            self = value
        case .number(let value) where value.rounded() == value && abs(value) < 9.2e18:
            self = Int64(value)
        default:
            issues.add(path, json.typeName == "number" ? "must be an integer" : "must be an integer, not \(json.typeName)")
            return nil
        }
    }

    public var json: JSONValue { .integer(self) }
}

extension Int: JSONConvertible {
    public init?(json: JSONValue, at path: JSONPath, issues: inout FieldIssues) {
        guard let wide = Int64(json: json, at: path, issues: &issues) else { return nil }
        self = Int(wide)
    }

    public var json: JSONValue { .integer(Int64(self)) }
}

extension Int32: JSONConvertible {
    public init?(json: JSONValue, at path: JSONPath, issues: inout FieldIssues) {
        guard let wide = Int64(json: json, at: path, issues: &issues) else { return nil }
        guard let narrow = Int32(exactly: wide) else {
            issues.add(path, "must fit in 32 bits")
            return nil
        }
        self = narrow
    }

    public var json: JSONValue { .integer(Int64(self)) }
}

extension Double: JSONConvertible {
    public init?(json: JSONValue, at path: JSONPath, issues: inout FieldIssues) {
        switch json {
        case .integer(let value): self = Double(value)
        case .number(let value): self = value
        default:
            issues.add(path, "must be a number, not \(json.typeName)")
            return nil
        }
    }

    public var json: JSONValue { .number(self) }
}

extension UUID: JSONConvertible {
    public init?(json: JSONValue, at path: JSONPath, issues: inout FieldIssues) {
        guard let text = String(json: json, at: path, issues: &issues) else { return nil }
        guard text.utf8.count == 36, let value = UUID(uuidString: text) else {
            issues.add(path, "must be a UUID")
            return nil
        }
        self = value
    }

    public var json: JSONValue { .string(uuidString.lowercased()) }
}

extension Date: JSONConvertible {
    /// Decodes an RFC 3339 `date-time` string.
    public init?(json: JSONValue, at path: JSONPath, issues: inout FieldIssues) {
        guard let text = String(json: json, at: path, issues: &issues) else { return nil }
        guard let value = DateTime.parse(text) else {
            issues.add(path, "must be an RFC 3339 date-time")
            return nil
        }
        self = value
    }

    public var json: JSONValue { .string(DateTime.format(self)) }
}

extension JSONValue: JSONConvertible {
    public init?(json: JSONValue, at path: JSONPath, issues: inout FieldIssues) {
        self = json
    }

    public var json: JSONValue { self }
}

extension Array: JSONConvertible where Element: JSONConvertible {
    public init?(json: JSONValue, at path: JSONPath, issues: inout FieldIssues) {
        guard case .array(let values) = json else {
            issues.add(path, "must be an array, not \(json.typeName)")
            return nil
        }
        let before = issues.count
        var result: [Element] = []
        result.reserveCapacity(values.count)
        for (index, value) in values.enumerated() {
            if let element = Element(json: value, at: path.appending(index), issues: &issues) {
                result.append(element)
            }
        }
        guard issues.count == before else { return nil }
        self = result
    }

    public var json: JSONValue { .array(map(\.json)) }
}

extension Dictionary: JSONConvertible where Key == String, Value: JSONConvertible {
    public init?(json: JSONValue, at path: JSONPath, issues: inout FieldIssues) {
        guard case .object(let object) = json else {
            issues.add(path, "must be an object, not \(json.typeName)")
            return nil
        }
        let before = issues.count
        var result: [String: Value] = [:]
        for (key, value) in object {
            if let element = Value(json: value, at: path.appending(key), issues: &issues) {
                result[key] = element
            }
        }
        guard issues.count == before else { return nil }
        self = result
    }

    public var json: JSONValue {
        .object(JSONObject(keys.sorted().map { ($0, self[$0]!.json) }))
    }
}

/// A value that may be explicitly `null`, for properties that are optional *and* nullable:
/// absent is `nil`, `null` is `.null`, anything else is `.value`.
public enum Nullable<Wrapped: JSONConvertible>: JSONConvertible {
    case null
    case value(Wrapped)

    public init?(json: JSONValue, at path: JSONPath, issues: inout FieldIssues) {
        if json.isNull {
            self = .null
        } else if let value = Wrapped(json: json, at: path, issues: &issues) {
            self = .value(value)
        } else {
            return nil
        }
    }

    public var json: JSONValue {
        switch self {
        case .null: .null
        case .value(let wrapped): wrapped.json
        }
    }

    /// The wrapped value, or nil for `.null`.
    public var wrapped: Wrapped? {
        if case .value(let value) = self { return value }
        return nil
    }
}
