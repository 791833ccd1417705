import Foundation
import Yams

/// Checks a JSON value (an example of the contract) against a schema of the bundled document,
/// with the JSON-Schema keywords OpenAPI 3.1 descriptions use: `type`, `enum`, `const`, string,
/// number, array and object bounds, `pattern`, common `format`s, `properties`/`required`/
/// `additionalProperties`, `allOf`/`anyOf`/`oneOf`/`not` and local `$ref`s.
struct SchemaEvaluator {
    /// One way the value breaks the schema: where in the value (a JSON pointer) and why.
    struct Violation: Equatable {
        var instance: JSONPointer
        var reason: String
    }

    let document: BundledDocument
    private var patterns: [String: NSRegularExpression?] = [:]

    init(document: BundledDocument) {
        self.document = document
    }

    /// Every violation of `schema` by `value` (at most `limit`).
    mutating func violations(of value: LiteralValue, against schema: Node, limit: Int = 8) -> [Violation] {
        var found: [Violation] = []
        evaluate(value, schema, at: JSONPointer(), into: &found, depth: 0)
        return Array(found.prefix(limit))
    }

    private mutating func evaluate(_ value: LiteralValue, _ schema: Node, at instance: JSONPointer, into found: inout [Violation], depth: Int) {
        guard depth < 64 else { return }
        if case .scalar = schema {
            // `true` accepts anything, `false` nothing (3.1 boolean schemas).
            if schema.boolValue == false { found.append(Violation(instance: instance, reason: "no value is allowed here")) }
            return
        }
        guard schema.isMapping else { return }
        if let ref = schema.child("$ref")?.string {
            if let target = document.node(at: JSONPointer(parsing: ref)) {
                evaluate(value, target, at: instance, into: &found, depth: depth + 1)
            }
        }
        func fail(_ reason: String) { found.append(Violation(instance: instance, reason: reason)) }

        if let typeNode = schema.child("type") {
            let allowed = typeNode.isSequence ? typeNode.elements.compactMap(\.string) : [typeNode.string].compactMap { $0 }
            let nullable = schema.child("nullable")?.boolValue == true
            if !allowed.isEmpty, !allowed.contains(where: { Self.matches(value, type: $0) }), !(nullable && value == .null) {
                fail("expected \(allowed.joined(separator: " or ")), found \(Self.typeName(value))")
                return
            }
        }
        if let options = schema.child("enum")?.elements, !options.contains(where: { Self.equal($0.literal, value) }) {
            let shown = options.prefix(8).map { Self.render($0.literal) }.joined(separator: ", ")
            fail("must be one of \(shown)\(options.count > 8 ? ", …" : "")")
        }
        if let constant = schema.child("const"), !Self.equal(constant.literal, value) {
            fail("must be \(Self.render(constant.literal))")
        }

        switch value {
        case .string(let text): checkString(text, schema).forEach(fail)
        case .integer, .number: checkNumber(value, schema).forEach(fail)
        case .array(let items): checkArray(items, schema, at: instance, into: &found, depth: depth)
        case .object(let object): checkObject(object, schema, at: instance, into: &found, depth: depth)
        default: break
        }

        for part in schema.child("allOf")?.elements ?? [] {
            evaluate(value, part, at: instance, into: &found, depth: depth + 1)
        }
        if let options = schema.child("anyOf")?.elements, !options.isEmpty {
            if !options.contains(where: { passes(value, $0, depth: depth) }) { fail("matches none of the anyOf schemas") }
        }
        if let options = schema.child("oneOf")?.elements, !options.isEmpty {
            let matching = options.filter { passes(value, $0, depth: depth) }.count
            if matching == 0 { fail("matches none of the oneOf schemas") }
            if matching > 1 { fail("matches \(matching) of the oneOf schemas (exactly one is allowed)") }
        }
        if let negated = schema.child("not"), passes(value, negated, depth: depth) {
            fail("matches the schema under not")
        }
    }

    private mutating func passes(_ value: LiteralValue, _ schema: Node, depth: Int) -> Bool {
        var scratch: [Violation] = []
        evaluate(value, schema, at: JSONPointer(), into: &scratch, depth: depth + 1)
        return scratch.isEmpty
    }

    private mutating func checkString(_ text: String, _ schema: Node) -> [String] {
        var reasons: [String] = []
        func fail(_ reason: String) { reasons.append(reason) }
        let length = text.unicodeScalars.count
        if let minimum = schema.child("minLength")?.intValue, length < minimum { fail("is shorter than \(minimum) characters") }
        if let maximum = schema.child("maxLength")?.intValue, length > maximum { fail("is longer than \(maximum) characters") }
        if let pattern = schema.child("pattern")?.string, let expression = regex(pattern),
           expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) == nil {
            fail("does not match the pattern \(pattern)")
        }
        if let format = schema.child("format")?.string, let valid = Self.formatCheck(format, text), !valid {
            fail("is not a valid \(format)")
        }
        return reasons
    }

    private func checkNumber(_ value: LiteralValue, _ schema: Node) -> [String] {
        var reasons: [String] = []
        func fail(_ reason: String) { reasons.append(reason) }
        guard let number = Self.double(value) else { return [] }
        if let minimum = schema.child("minimum")?.doubleValue, number < minimum { fail("is less than the minimum \(Self.render(minimum))") }
        if let maximum = schema.child("maximum")?.doubleValue, number > maximum { fail("is greater than the maximum \(Self.render(maximum))") }
        if let bound = schema.child("exclusiveMinimum")?.doubleValue, number <= bound { fail("must be greater than \(Self.render(bound))") }
        if let bound = schema.child("exclusiveMaximum")?.doubleValue, number >= bound { fail("must be less than \(Self.render(bound))") }
        if let divisor = schema.child("multipleOf")?.doubleValue, divisor > 0 {
            let quotient = number / divisor
            if abs(quotient - quotient.rounded()) > 1e-9 * max(1, abs(quotient)) { fail("is not a multiple of \(Self.render(divisor))") }
        }
        if case .integer(let integer) = value, let format = schema.child("format")?.string, format == "int32",
           integer < Int64(Int32.min) || integer > Int64(Int32.max) {
            fail("does not fit int32")
        }
        return reasons
    }

    private mutating func checkArray(
        _ items: [LiteralValue], _ schema: Node, at instance: JSONPointer, into found: inout [Violation], depth: Int
    ) {
        func fail(_ reason: String) { found.append(Violation(instance: instance, reason: reason)) }
        if let minimum = schema.child("minItems")?.intValue, items.count < minimum { fail("has fewer than \(minimum) items") }
        if let maximum = schema.child("maxItems")?.intValue, items.count > maximum { fail("has more than \(maximum) items") }
        if schema.child("uniqueItems")?.boolValue == true {
            for (index, item) in items.enumerated() where items[..<index].contains(where: { Self.equal($0, item) }) {
                fail("item \(index) repeats an earlier item (uniqueItems)")
                break
            }
        }
        let prefix = schema.child("prefixItems")?.elements ?? []
        for (index, item) in items.enumerated() {
            if index < prefix.count {
                evaluate(item, prefix[index], at: instance.appending(index), into: &found, depth: depth + 1)
            } else if let itemSchema = schema.child("items") {
                evaluate(item, itemSchema, at: instance.appending(index), into: &found, depth: depth + 1)
            }
        }
    }

    private mutating func checkObject(
        _ object: [String: LiteralValue], _ schema: Node, at instance: JSONPointer, into found: inout [Violation], depth: Int
    ) {
        func fail(_ reason: String) { found.append(Violation(instance: instance, reason: reason)) }
        for name in schema.child("required")?.elements.compactMap(\.string) ?? [] where object[name] == nil {
            found.append(Violation(instance: instance.appending(name), reason: "is required but missing"))
        }
        if let minimum = schema.child("minProperties")?.intValue, object.count < minimum { fail("has fewer than \(minimum) properties") }
        if let maximum = schema.child("maxProperties")?.intValue, object.count > maximum { fail("has more than \(maximum) properties") }
        let properties = schema.child("properties")
        let patterned = (schema.child("patternProperties")?.pairs ?? []).compactMap { pair in regex(pair.key).map { ($0, pair.value) } }
        let additional = schema.child("additionalProperties")
        for name in object.keys.sorted() {
            let value = object[name]!
            let childPointer = instance.appending(name)
            var declared = false
            if let property = properties?.child(name) {
                declared = true
                evaluate(value, property, at: childPointer, into: &found, depth: depth + 1)
            }
            for (expression, patternSchema) in patterned where expression.firstMatch(in: name, range: NSRange(name.startIndex..., in: name)) != nil {
                declared = true
                evaluate(value, patternSchema, at: childPointer, into: &found, depth: depth + 1)
            }
            guard !declared, let additional else { continue }
            if additional.boolValue == false {
                found.append(Violation(instance: childPointer, reason: "is not a declared property (additionalProperties: false)"))
            } else if additional.isMapping {
                evaluate(value, additional, at: childPointer, into: &found, depth: depth + 1)
            }
        }
    }

    private mutating func regex(_ pattern: String) -> NSRegularExpression? {
        if let cached = patterns[pattern] { return cached }
        let compiled = try? NSRegularExpression(pattern: pattern)
        patterns[pattern] = compiled
        return compiled
    }

    // MARK: - Values

    static func matches(_ value: LiteralValue, type: String) -> Bool {
        switch (type, value) {
        case ("null", .null), ("boolean", .bool), ("string", .string), ("array", .array), ("object", .object): true
        case ("number", .integer), ("number", .number), ("integer", .integer): true
        case ("integer", .number(let number)): number.rounded() == number
        default: false
        }
    }

    static func typeName(_ value: LiteralValue) -> String {
        switch value {
        case .null: "null"
        case .bool: "boolean"
        case .integer: "integer"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    static func double(_ value: LiteralValue) -> Double? {
        switch value {
        case .integer(let integer): Double(integer)
        case .number(let number): number
        default: nil
        }
    }

    /// JSON equality: `1` and `1.0` are the same number.
    static func equal(_ a: LiteralValue, _ b: LiteralValue) -> Bool {
        switch (a, b) {
        case (.integer, .number), (.number, .integer): double(a) == double(b)
        case (.array(let x), .array(let y)): x.count == y.count && zip(x, y).allSatisfy { equal($0, $1) }
        case (.object(let x), .object(let y)): x.count == y.count && x.allSatisfy { key, value in y[key].map { equal(value, $0) } ?? false }
        default: a == b
        }
    }

    static func render(_ value: LiteralValue) -> String {
        switch value {
        case .null: "null"
        case .bool(let flag): flag ? "true" : "false"
        case .integer(let integer): String(integer)
        case .number(let number): render(number)
        case .string(let text): "'\(text)'"
        case .array: "an array"
        case .object: "an object"
        }
    }

    static func render(_ number: Double) -> String {
        number.rounded() == number && abs(number) < 1e15 ? String(Int64(number)) : String(number)
    }

    /// The checked formats' expressions, compiled once.
    private static let formats: [String: NSRegularExpression] = [
        "uuid": "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$",
        "date-time": "^\\d{4}-\\d{2}-\\d{2}[Tt]\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?([Zz]|[+-]\\d{2}:\\d{2})$",
        "date": "^\\d{4}-\\d{2}-\\d{2}$",
        "email": "^[^@\\s]+@[^@\\s]+$",
        "uri": "^[A-Za-z][A-Za-z0-9+.-]*:[^\\s]*$",
        "ipv4": "^((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)$",
    ].mapValues { try! NSRegularExpression(pattern: $0) }

    /// Whether `text` is a valid `format`; nil for formats that are not checked.
    static func formatCheck(_ format: String, _ text: String) -> Bool? {
        guard let expression = formats[format] else { return nil }
        return expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }
}
