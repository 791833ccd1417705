import Foundation

/// One planned contract test: a change to a valid request that breaks one constraint of an
/// operation, the field the 40001 answer must name, and the constraint (language-neutral; the
/// Swift generator renders it as a `ContractViolation`).
public struct PlannedViolation: Sendable, Hashable {
    public enum Change: Sendable, Hashable {
        case setBody(pointer: String, value: LiteralValue)
        case removeBody(pointer: String)
        case repeatBodyItem(pointer: String, count: Int)
        case setQuery(name: String, value: String)
        case removeQuery(name: String)
        case setHeader(name: String, value: String)
        case removeHeader(name: String)
        case setPath(name: String, value: String)
    }

    public var operationID: String
    public var pathTemplate: String
    public var change: Change
    public var field: String
    public var constraint: String
}

/// Plans the negative contract tests of each operation from its parameters and JSON body: for
/// every constraint a value that breaks it (a missing required field, a string one character too
/// long or short, a number past its bound, a value outside an enum, a malformed uuid or
/// date-time, a wrong type, an unknown property, an array with too few or too many items).
/// Nested objects and the first item of arrays of objects are followed three levels down;
/// `oneOf` alternatives and rules across properties are not. Query arrays also get too few, too
/// many and repeated items.
struct ViolationPlanner {
    let schemas: [String: SchemaModel]

    init(model: ContractModel) {
        schemas = Dictionary(model.schemas.map { ($0.name, $0.schema) }, uniquingKeysWith: { first, _ in first })
    }

    func violations(of operation: OperationModel) -> [PlannedViolation] {
        var planned: [PlannedViolation] = []
        func add(_ change: PlannedViolation.Change, _ field: String, _ constraint: String) {
            planned.append(PlannedViolation(operationID: operation.operationID, pathTemplate: operation.path, change: change, field: field, constraint: constraint))
        }
        for parameter in operation.parameters where parameter.location != .cookie {
            let field = "/\(parameter.location.rawValue)/\(parameter.name)"
            if parameter.required {
                switch parameter.location {
                case .query: add(.removeQuery(name: parameter.name), field, "required")
                case .header: add(.removeHeader(name: parameter.name), field, "required")
                case .path, .cookie: break
                }
            }
            let schema = resolved(parameter.schema)
            var values = textViolations(schema)
            if case .array(let items) = schema.shape {
                values = textViolations(resolved(items)).map { ($0.text, $0.constraint + " (item)") }
            }
            if case .array(let items) = schema.shape, parameter.location == .query {
                for (text, constraint, itemField) in queryArrayViolations(schema, items: resolved(items)) {
                    add(.setQuery(name: parameter.name, value: text), field + itemField, constraint)
                }
            }
            for (text, constraint) in values {
                // An empty header is no header (that is the `required` case); NUL cannot travel in one.
                if parameter.location == .header, text.isEmpty || text.contains("\u{0}") { continue }
                let itemField = { if case .array = schema.shape { return field + "/0" } else { return field } }()
                switch parameter.location {
                case .query: add(.setQuery(name: parameter.name, value: text), itemField, constraint)
                case .header: add(.setHeader(name: parameter.name, value: text), itemField, constraint)
                case .path: if !text.isEmpty { add(.setPath(name: parameter.name, value: text), itemField, constraint) }
                case .cookie: break
                }
            }
        }
        if let body = operation.requestBody, !body.isRaw, !body.isForm, let schema = body.schema {
            objectViolations(resolved(schema), at: "", depth: 0, add: add)
        }
        return planned
    }

    private func resolved(_ schema: SchemaModel) -> SchemaModel {
        TableBindingChecker.resolved(schema, schemas)
    }

    private func objectViolations(
        _ schema: SchemaModel, at pointer: String, depth: Int, add: (PlannedViolation.Change, String, String) -> Void
    ) {
        guard case .object(let object) = schema.shape else { return }
        if let minimum = schema.constraints.minProperties, minimum > 0 {
            add(.setBody(pointer: pointer, value: .object([:])), "/body" + pointer, "minProperties \(minimum)")
        }
        for property in object.properties {
            let path = pointer + "/" + property.name.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
            let field = "/body" + path
            let value = resolved(property.schema)
            if property.required { add(.removeBody(pointer: path), field, "required") }
            if let wrong = Self.wrongType(for: value) { add(.setBody(pointer: path, value: wrong.value), field, "type \(wrong.expected)") }
            switch value.shape {
            case .string, .stringEnum:
                for (text, constraint) in textViolations(value) { add(.setBody(pointer: path, value: .string(text)), field, constraint) }
            case .integer, .number:
                for (number, constraint) in numberViolations(value) { add(.setBody(pointer: path, value: number), field, constraint) }
            case .array:
                if let minimum = value.constraints.minItems, minimum > 0 { add(.setBody(pointer: path, value: .array([])), field, "minItems \(minimum)") }
                if let maximum = value.constraints.maxItems, maximum < 10_000 {
                    add(.repeatBodyItem(pointer: path, count: maximum + 1), field, "maxItems \(maximum)")
                }
                if value.constraints.uniqueItems, (value.constraints.maxItems ?? 2) >= 2 {
                    add(.repeatBodyItem(pointer: path, count: 2), field + "/1", "uniqueItems")
                }
                // The first item's fields (a valid request that sends the array has one).
                if case .array(let items) = value.shape, depth < 3 { objectViolations(resolved(items), at: path + "/0", depth: depth + 1, add: add) }
            case .object:
                if depth < 3 { objectViolations(value, at: path, depth: depth + 1, add: add) }
            default:
                break
            }
        }
        if object.additionalProperties == .forbidden {
            add(.setBody(pointer: pointer + "/unexpectedProperty", value: .integer(1)), "/body" + pointer + "/unexpectedProperty", "additionalProperties false")
        }
    }

    /// Query arrays (comma-separated or repeated; the runtime takes both) with too few items, too
    /// many, or a repeated one, when a valid item can be written: uuids, enum values, bounded integers.
    /// Returns the text, the constraint and the field below the parameter's.
    private func queryArrayViolations(_ schema: SchemaModel, items: SchemaModel) -> [(text: String, constraint: String, field: String)] {
        let c = schema.constraints
        var found: [(String, String, String)] = []
        if let minimum = c.minItems, minimum > 0 { found.append(("", "minItems \(minimum)", "")) }
        guard let first = Self.validItem(items, 0) else { return found }
        if c.uniqueItems, (c.maxItems ?? 2) >= 2 { found.append(("\(first),\(first)", "uniqueItems", "/1")) }
        if let maximum = c.maxItems, maximum < 1_000 {
            // Distinct items when they must be unique, so that only the count is wrong.
            let texts = (0...maximum).map { Self.validItem(items, c.uniqueItems ? $0 : 0) }
            if texts.allSatisfy({ $0 != nil }) { found.append((texts.compactMap { $0 }.joined(separator: ","), "maxItems \(maximum)", "")) }
        }
        return found
    }

    /// The `index`-th of a run of distinct valid items, written as query text; nil when the schema
    /// has no such item (or none this planner can write).
    private static func validItem(_ schema: SchemaModel, _ index: Int) -> String? {
        let c = schema.constraints
        switch schema.shape {
        case .string(.uuid):
            let digits = String(index)
            return "00000000-0000-4000-8000-" + String(repeating: "0", count: max(0, 12 - digits.count)) + digits
        case .stringEnum(let values):
            return index < values.count ? values[index] : nil
        case .integer:
            guard c.multipleOf.map({ $0 == 1 }) ?? true, c.allowedNumbers == nil else { return nil }
            // From 1, or from the lower bound when that is higher (bounds too large to write give up).
            var lower: Int64 = 1
            if let minimum = c.minimum, minimum > 1 {
                guard minimum < 9e15 else { return nil }
                lower = Int64(minimum.rounded(.up))
            }
            if let minimum = c.exclusiveMinimum, minimum >= Double(lower) {
                guard minimum < 9e15 else { return nil }
                lower = Int64(minimum.rounded(.down)) + 1
            }
            let value = lower + Int64(index)
            if let maximum = c.maximum, Double(value) > maximum { return nil }
            if let maximum = c.exclusiveMaximum, Double(value) >= maximum { return nil }
            return String(value)
        default:
            return nil
        }
    }

    /// A JSON value of another type than the schema's, unless the schema takes any value.
    private static func wrongType(for schema: SchemaModel) -> (value: LiteralValue, expected: String)? {
        switch schema.shape {
        case .string, .stringEnum: (.integer(12345), "string")
        case .integer: (.string("12"), "integer")
        case .number: (.string("1.5"), "number")
        case .boolean: (.string("true"), "boolean")
        case .array: (.object([:]), "array")
        case .object, .map: (.array([]), "object")
        default: nil
        }
    }

    /// Texts that break the schema of a string (or a parameter written as text), with the
    /// constraint each breaks.
    private func textViolations(_ schema: SchemaModel) -> [(text: String, constraint: String)] {
        let c = schema.constraints
        var found: [(String, String)] = []
        switch schema.shape {
        case .stringEnum(let values):
            found.append((values.contains("NOT_A_VALUE") ? "NOT_A_VALUE_2" : "NOT_A_VALUE", "enum"))
        case .string(let kind):
            switch kind {
            case .uuid: found.append(("not-a-uuid", "format uuid"))
            case .dateTime: found.append(("yesterday", "format date-time"))
            case .date: found.append(("31.12.2026", "format date"))
            case .email: found.append(("nobody", "format email"))
            case .uri: found.append(("not a uri", "format uri"))
            default: break
            }
            if let minimum = c.minLength, minimum > 0 { found.append((String(repeating: "a", count: minimum - 1), "minLength \(minimum)")) }
            if let maximum = c.maxLength, maximum < 100_000 { found.append((String(repeating: "a", count: maximum + 1), "maxLength \(maximum)")) }
            if let pattern = c.pattern, let expression = try? NSRegularExpression(pattern: pattern) {
                let candidates = ["!", "a b", "~~", "0", "a", "A", "a\u{0}b"]
                if let text = candidates.first(where: { candidate in
                    expression.firstMatch(in: candidate, range: NSRange(candidate.startIndex..., in: candidate)) == nil
                        && candidate.count >= (c.minLength ?? 0) && candidate.count <= (c.maxLength ?? .max)
                }) {
                    found.append((text, "pattern \(pattern)"))
                }
            }
        case .integer, .number:
            found.append(("x", schema.shape == .number ? "type number" : "type integer"))
            for (value, constraint) in numberViolations(schema) {
                switch value {
                case .integer(let number): found.append((String(number), constraint))
                case .number(let number): found.append((String(number), constraint))
                default: break
                }
            }
        case .boolean:
            found.append(("maybe", "type boolean"))
        default:
            break
        }
        return found
    }

    /// Numbers just past the schema's bounds.
    private func numberViolations(_ schema: SchemaModel) -> [(value: LiteralValue, constraint: String)] {
        let c = schema.constraints
        let integral: Bool = { if case .integer = schema.shape { return true } else { return false } }()
        func literal(_ number: Double) -> LiteralValue? {
            guard number.isFinite, abs(number) < 9e15 else { return nil }
            return integral ? .integer(Int64(number)) : .number(number)
        }
        var found: [(LiteralValue, String)] = []
        if let minimum = c.minimum, let value = literal(integral ? minimum.rounded(.up) - 1 : minimum - 0.5) { found.append((value, "minimum \(SchemaEvaluator.render(minimum))")) }
        if let minimum = c.exclusiveMinimum, let value = literal(minimum) { found.append((value, "exclusiveMinimum \(SchemaEvaluator.render(minimum))")) }
        if let maximum = c.maximum, let value = literal(integral ? maximum.rounded(.down) + 1 : maximum + 0.5) { found.append((value, "maximum \(SchemaEvaluator.render(maximum))")) }
        if let maximum = c.exclusiveMaximum, let value = literal(maximum) { found.append((value, "exclusiveMaximum \(SchemaEvaluator.render(maximum))")) }
        if let step = c.multipleOf, step > 0, c.allowedNumbers == nil, let number = Self.nonMultiple(of: step, within: c, integral: integral), let value = literal(number) {
            found.append((value, "multipleOf \(SchemaEvaluator.render(step))"))
        }
        return found
    }

    /// A number inside the schema's bounds that is not a multiple of `step`: half a step (one, for
    /// integers) past the first multiple at or above the lower bound; nil when there is none
    /// (an integer schema whose step divides every integer, bounds too close together).
    private static func nonMultiple(of step: Double, within c: Constraints, integral: Bool) -> Double? {
        let lower = max(c.minimum ?? -.infinity, c.exclusiveMinimum ?? -.infinity)
        let start = lower.isFinite ? (lower / step).rounded(.up) * step : 0
        let candidate = start + (integral ? 1 : step / 2)
        let quotient = candidate / step
        guard candidate.isFinite, abs(quotient - quotient.rounded()) > 1e-6 else { return nil }
        if let minimum = c.minimum, candidate < minimum { return nil }
        if let minimum = c.exclusiveMinimum, candidate <= minimum { return nil }
        if let maximum = c.maximum, candidate > maximum { return nil }
        if let maximum = c.exclusiveMaximum, candidate >= maximum { return nil }
        return candidate
    }
}
