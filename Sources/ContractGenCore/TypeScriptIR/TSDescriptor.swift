import Mustache

/// A schema as data the client's runtime interprets (`validate` in runtime.js): what a value must
/// be, with the same readable reasons the server gives. Rendered by `inline-descriptor.mustache`,
/// which picks the template of its kind; `options` are the constraint keywords, as JSON.
indirect enum TSDescriptor: Sendable, Hashable {
    case string([TSOption])
    case integer([TSOption])
    case number([TSOption])
    case boolean
    case array(TSDescriptor, [TSOption])
    case map(TSDescriptor, [TSOption])
    /// An object's properties, what its other properties must be (nil: not checked; `closed` in
    /// the options rejects them), and its constraint keywords.
    case object([TSDescribedProperty], additional: TSDescriptor?, [TSOption])
    /// A named schema, looked up when validating (schemas may refer to each other in any order).
    case reference(String)
    case union([TSDescriptor], [TSOption])
    case any
    case nullable(TSDescriptor)
}

extension TSDescriptor: MustacheParent {
    func child(named key: String) -> Any? {
        switch (key, self) {
        case ("descriptorTemplate", _): "inline-descriptor-" + kind
        case ("isObject", .object): true
        case ("options", .string(let options)), ("options", .integer(let options)), ("options", .number(let options)),
             ("options", .array(_, let options)), ("options", .map(_, let options)), ("options", .object(_, _, let options)),
             ("options", .union(_, let options)):
            options.isEmpty ? false : options
        case ("element", .array(let element, _)), ("element", .map(let element, _)), ("element", .nullable(let element)): element
        case ("properties", .object(let properties, _, _)): properties.isEmpty ? false : properties
        case ("additional", .object(_, let additional, _)): additional.map { $0 as Any } ?? false
        case ("name", .reference(let name)): name
        case ("alternatives", .union(let alternatives, _)): alternatives
        // Nothing falls through to an enclosing context.
        default: false
        }
    }

    private var kind: String {
        switch self {
        case .string: "string"
        case .integer: "integer"
        case .number: "number"
        case .boolean: "boolean"
        case .array: "array"
        case .map: "map"
        case .object: "object"
        case .reference: "reference"
        case .union: "union"
        case .any: "any"
        case .nullable: "nullable"
        }
    }
}

/// One constraint keyword of a descriptor: its name and its value as JSON text.
struct TSOption: Sendable, Hashable, MustacheParent {
    var name: String
    var json: String

    func child(named key: String) -> Any? {
        switch key {
        case "name": name
        case "json": json
        default: nil
        }
    }
}

/// One property of an object descriptor: its JSON key (as a JSON string literal), whether it is
/// required, and what its value must be.
struct TSDescribedProperty: Sendable, Hashable, MustacheParent {
    var key: String
    var required: Bool
    var descriptor: TSDescriptor

    func child(named name: String) -> Any? {
        switch name {
        case "key": key
        case "required": required
        case "descriptor": descriptor
        default: nil
        }
    }
}
