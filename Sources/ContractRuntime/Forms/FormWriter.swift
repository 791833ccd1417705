/// Writes a generated `ContractForm` as `multipart/form-data` parts, in the order of the contract's properties: a
/// string as its text, a number or boolean as its JSON text, an array of those as one part per element, an object
/// (or an array of objects) as JSON text with `Content-Type: application/json`, a file as a file part.
public struct FormWriter {
    public private(set) var parts: [FormPart] = []

    public init() {}

    public mutating func set<T: JSONConvertible>(_ name: String, _ value: T) {
        append(name, value.json)
    }

    public mutating func setNullable<T: JSONConvertible>(_ name: String, _ value: T?) {
        append(name, value?.json ?? .null)
    }

    public mutating func setIfPresent<T: JSONConvertible>(_ name: String, _ value: T?) {
        if let value { append(name, value.json) }
    }

    public mutating func set(_ name: String, _ file: FormFile) {
        parts.append(FormPart(name: name, filename: file.filename ?? name, contentType: file.contentType ?? "application/octet-stream", bytes: file.bytes))
    }

    public mutating func setIfPresent(_ name: String, _ file: FormFile?) {
        if let file { set(name, file) }
    }

    public mutating func set(_ name: String, _ files: [FormFile]) {
        for file in files { set(name, file) }
    }

    public mutating func setIfPresent(_ name: String, _ files: [FormFile]?) {
        if let files { set(name, files) }
    }

    private mutating func append(_ name: String, _ value: JSONValue) {
        switch value {
        case .string(let text):
            parts.append(FormPart(name: name, text: text))
        case .array(let elements) where elements.allSatisfy(\.isScalar):
            for element in elements { append(name, element) }
        case .object, .array:
            parts.append(FormPart(name: name, text: JSONSerializer.string(value), contentType: "application/json"))
        default:
            parts.append(FormPart(name: name, text: JSONSerializer.string(value)))
        }
    }
}

extension JSONValue {
    /// Neither an object nor an array.
    fileprivate var isScalar: Bool {
        switch self {
        case .object, .array: false
        default: true
        }
    }
}
