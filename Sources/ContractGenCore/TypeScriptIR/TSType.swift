import Mustache

/// A TypeScript type as data: a named type, a keyword type, a union of string literals, an array,
/// a string-keyed map, an inline object, a union, or a type that may also be `null`. Rendered by
/// `inline-type.mustache`, which picks the template of its kind.
indirect enum TSType: Sendable, Hashable {
    case named(String)
    case string, number, boolean, unknown
    /// A union of string literals (an enum); each already a JSON string literal.
    case literals([String])
    case array(TSType)
    case map(TSType)
    case object([TSProperty])
    case union([TSType])
    case nullable(TSType)
    /// Bytes a caller sends (an upload's body).
    case bytes
    /// Bytes a response carries (a download).
    case blob
    /// A `multipart/form-data` body the caller builds (the browser writes the boundary).
    case formData
    /// No body.
    case none
}

extension TSType: MustacheParent {
    /// `typeTemplate` names the template of the type's kind (`inline-type-array`, …).
    func child(named key: String) -> Any? {
        switch (key, self) {
        case ("typeTemplate", _): "inline-type-" + kind
        case ("name", .named(let name)): name
        case ("literals", .literals(let values)): values
        case ("element", .array(let element)), ("element", .map(let element)), ("element", .nullable(let element)): element
        case ("properties", .object(let properties)): properties
        case ("alternatives", .union(let alternatives)): alternatives
        // Nothing falls through to an enclosing context.
        default: false
        }
    }

    private var kind: String {
        switch self {
        case .named: "named"
        case .string: "string"
        case .number: "number"
        case .boolean: "boolean"
        case .unknown: "unknown"
        case .literals: "literals"
        case .array: "array"
        case .map: "map"
        case .object: "object"
        case .union: "union"
        case .nullable: "nullable"
        case .bytes: "bytes"
        case .blob: "blob"
        case .formData: "form-data"
        case .none: "none"
        }
    }
}

/// One property of an object type: its key (a JSON string literal when it is not an identifier),
/// whether it may be left out, its type and documentation.
struct TSProperty: Sendable, Hashable, MustacheParent {
    var key: String
    var optional: Bool
    var type: TSType
    var docLines: [String]

    func child(named name: String) -> Any? {
        switch name {
        case "key": key
        case "optional": optional
        case "type": type
        case "docLines": docLines.isEmpty ? false : docLines
        default: nil
        }
    }
}
