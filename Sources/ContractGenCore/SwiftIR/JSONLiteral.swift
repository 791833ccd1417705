import Mustache

/// A JSON value written as a `JSONValue` expression (a contract case's body value), as data.
/// Rendered by `inline-json-value.mustache`.
struct JSONLiteral: Sendable {
    enum Kind: String, Sendable, CaseIterable {
        case null, bool, integer, number, string, array, object
    }

    /// A member of an object: its key as a string literal.
    struct Entry: Sendable, MustacheParent {
        var key: String
        var value: JSONLiteral
        func child(named name: String) -> Any? {
            switch name {
            case "key": key
            case "value": value
            default: nil
            }
        }
    }

    var kind: Kind
    /// A scalar's Swift literal (`true`, `42`, `0.5`, `"text"`).
    var scalar = ""
    var items: [JSONLiteral] = []
    var entries: [Entry] = []

    init(_ value: LiteralValue) {
        switch value {
        case .null: kind = .null
        case .bool(let flag): kind = .bool; scalar = flag ? "true" : "false"
        case .integer(let number): kind = .integer; scalar = String(number)
        case .number(let number): kind = .number; scalar = "\(number)"
        case .string(let text): kind = .string; scalar = SwiftNaming.literal(text)
        case .array(let values): kind = .array; items = values.map(JSONLiteral.init)
        case .object(let object):
            kind = .object
            entries = object.keys.sorted().map { Entry(key: SwiftNaming.literal($0), value: JSONLiteral(object[$0]!)) }
        }
    }
}

extension JSONLiteral: MustacheParent {
    func child(named name: String) -> Any? {
        if let kind = Kind(rawValue: name) { return self.kind == kind }
        switch name {
        case "scalar": return scalar
        case "items": return items
        case "entries": return entries
        default: return nil
        }
    }
}
