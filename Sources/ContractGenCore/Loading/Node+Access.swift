import Yams

extension Node {
    /// The mapping's pairs with string keys, in document order.
    var pairs: [(key: String, value: Node)] {
        guard case .mapping(let mapping) = self else { return [] }
        // By index: iterating a `Node.Mapping` copies all its pairs first.
        var result: [(key: String, value: Node)] = []
        result.reserveCapacity(mapping.count)
        for index in mapping.indices {
            let pair = mapping[index]
            if case .scalar(let key) = pair.key { result.append((key.string, pair.value)) }
        }
        return result
    }

    var elements: [Node] {
        guard case .sequence(let sequence) = self else { return [] }
        return Array(sequence)
    }

    var isMapping: Bool {
        if case .mapping = self { return true }
        return false
    }

    var isSequence: Bool {
        if case .sequence = self { return true }
        return false
    }

    /// The scalar as a JSON literal, resolving plain scalars the way YAML's core schema does.
    var literal: LiteralValue {
        switch self {
        case .scalar(let scalar):
            guard scalar.style == .plain else { return .string(scalar.string) }
            let text = scalar.string
            switch text {
            case "", "~", "null", "Null", "NULL": return .null
            case "true", "True", "TRUE": return .bool(true)
            case "false", "False", "FALSE": return .bool(false)
            default:
                if let integer = Int64(text) { return .integer(integer) }
                if text.first.map({ $0.isNumber || $0 == "-" || $0 == "+" || $0 == "." }) == true, let number = Double(text) {
                    return .number(number)
                }
                return .string(text)
            }
        case .mapping:
            var object: [String: LiteralValue] = [:]
            for (key, value) in pairs { object[key] = value.literal }
            return .object(object)
        case .sequence:
            return .array(elements.map(\.literal))
        default:
            return .null
        }
    }

    /// The scalar's literal; nil for mappings and sequences (whose `literal` would convert the
    /// whole subtree only to be compared with a number or a flag).
    private var scalarLiteral: LiteralValue? {
        guard case .scalar = self else { return nil }
        return literal
    }

    var intValue: Int? {
        let literal = scalarLiteral
        if case .integer(let value) = literal { return Int(exactly: value) }
        if case .number(let value) = literal { return Int(exactly: value) }
        return nil
    }

    var doubleValue: Double? {
        switch scalarLiteral {
        case .integer(let value): Double(value)
        case .number(let value): value
        default: nil
        }
    }

    var boolValue: Bool? {
        if case .bool(let value) = scalarLiteral { return value }
        return nil
    }
}
