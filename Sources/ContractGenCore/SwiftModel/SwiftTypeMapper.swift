/// Maps language-neutral schemas to Swift types, and plans the statements that check them
/// (as data: `ValidationStatement`). Inline objects, enums and unions become nested declarations.
struct SwiftTypeMapper {
    /// What a named schema becomes in Swift.
    enum NamedKind {
        case structure, stringEnum, union, alias
    }

    let schemas: [String: SchemaModel]
    let typeNames: [String: String]
    /// Component schemas that contain themselves by value; references to them are boxed.
    let recursive: Set<String>

    /// `reserved`: names a schema type must not take — the `Operations.<Id>` namespaces, inside which a
    /// schema type of the same name would be shadowed (DigitalOcean names schemas after operations).
    init(schemas: [NamedSchema], reserved: Set<String> = []) {
        var byName: [String: SchemaModel] = [:]
        var names: [String: String] = [:]
        var taken: Set<String> = []
        for schema in schemas {
            byName[schema.name] = schema.schema
            var name = SwiftNaming.typeName(schema.name)
            if reserved.contains(name) { name += "Model" }
            var counter = 2
            let base = name
            while taken.contains(name) || reserved.contains(name) {
                name = base + String(counter)
                counter += 1
            }
            taken.insert(name)
            names[schema.name] = name
        }
        self.schemas = byName
        self.typeNames = names
        self.recursive = RecursionAnalysis.recursiveComponents(byName)
    }

    /// Whether a property of this schema must be stored through `@Indirect` to break a cycle.
    func needsIndirection(_ schema: SchemaModel) -> Bool {
        if case .reference(let name) = schema.shape { return recursive.contains(name) }
        return false
    }

    static func kind(of schema: SchemaModel) -> NamedKind {
        switch schema.shape {
        case .object: .structure
        case .stringEnum: .stringEnum
        case .union: .union
        default: .alias
        }
    }

    func namedKind(_ name: String) -> NamedKind {
        schemas[name].map(Self.kind(of:)) ?? .alias
    }

    /// Follows references to aliases so their constraints apply at the use site.
    func effective(_ schema: SchemaModel) -> SchemaModel {
        var current = schema
        var hops = 0
        while case .reference(let name) = current.shape, namedKind(name) == .alias, let target = schemas[name], hops < 32 {
            var next = target
            next.nullable = next.nullable || current.nullable
            current = next
            hops += 1
        }
        return current
    }

    /// Whether values of `schema` are generated `ContractCodable` types with a `validate` method.
    func isContractType(_ schema: SchemaModel) -> Bool {
        switch effective(schema).shape {
        case .reference(let name): namedKind(name) != .alias
        case .object, .stringEnum, .union: true
        default: false
        }
    }

    /// The type of a `multipart/form-data` body: `Form`, nested in the operation, with the fields of the object schema
    /// `schema` is or names.
    func formType(_ schema: SchemaModel, nested: inout [NestedDeclaration]) -> SwiftType {
        var object = effective(schema)
        var hops = 0
        while case .reference(let name) = object.shape, let target = schemas[name], hops < 32 {
            object = target
            hops += 1
        }
        nested.append(NestedDeclaration(name: "Form", schema: object, form: true))
        return .named("Form")
    }

    /// The Swift type of a form field the contract declares as `format: binary` (or an array of them), nil for the others.
    func formFileType(_ schema: SchemaModel) -> SwiftType? {
        switch effective(schema).shape {
        case .string(.binary): .named("FormFile")
        case .array(let items): formFileType(items).map { .array($0) }
        default: nil
        }
    }

    /// Whether values of `schema` are a generated string enum (inline or named).
    func isStringEnum(_ schema: SchemaModel) -> Bool {
        switch effective(schema).shape {
        case .stringEnum: true
        case .reference(let name): namedKind(name) == .stringEnum
        default: false
        }
    }

    /// The one value a string of `schema` can have (an `enum` of one value, or `const`), when it cannot be `null`.
    func constantValue(_ schema: SchemaModel) -> String? {
        let schema = effective(schema)
        guard !schema.nullable else { return nil }
        switch schema.shape {
        case .stringEnum(let values) where values.count == 1:
            return values[0]
        case .reference(let name):
            guard let target = schemas[name], !target.nullable, case .stringEnum(let values) = target.shape, values.count == 1 else { return nil }
            return values[0]
        default:
            return nil
        }
    }

    /// The Swift type of `schema` (without optionality); inline declarations go to `nested`.
    func swiftType(_ schema: SchemaModel, suggestedName: String, nested: inout [NestedDeclaration]) -> SwiftType {
        switch schema.shape {
        case .reference(let name):
            return .named(typeNames[name] ?? "JSONValue")
        case .string(let kind):
            switch kind {
            case .uuid: return .named("UUID")
            case .dateTime: return .named("Date")
            default: return .named("String")
            }
        case .integer(let width):
            switch width {
            case .platform: return .named("Int")
            case .int32: return .named("Int32")
            case .int64: return .named("Int64")
            }
        case .number:
            return .named("Double")
        case .boolean:
            return .named("Bool")
        case .array(let items):
            return .array(swiftType(items, suggestedName: suggestedName + "Item", nested: &nested))
        case .map(let value):
            return .dictionary(swiftType(value, suggestedName: suggestedName + "Value", nested: &nested))
        case .object, .stringEnum, .union:
            let name = SwiftNaming.typeName(suggestedName)
            nested.append(NestedDeclaration(name: name, schema: schema))
            return .named(name)
        case .any:
            return .named("JSONValue")
        }
    }

    /// Words a parameter's decoding issue for its type.
    func expectation(_ schema: SchemaModel) -> String {
        let schema = effective(schema)
        switch schema.shape {
        case .string(.uuid): return "must be a UUID"
        case .string(.dateTime): return "must be an RFC 3339 date-time"
        case .integer: return "must be an integer"
        case .number: return "must be a number"
        case .boolean: return "must be true or false"
        case .stringEnum(let values): return "must be one of " + values.joined(separator: ", ")
        case .reference(let name):
            if case .stringEnum(let values)? = schemas[name]?.shape { return "must be one of " + values.joined(separator: ", ") }
            return "has an invalid value"
        default: return "has an invalid value"
        }
    }

    // MARK: - Checks

    /// The statements that check the constraints of a non-optional value in the local `value`, reporting at `path`.
    func checkStatements(_ schema: SchemaModel, value: String, path: JSONPathExpression, patterns: inout [String], depth: Int = 0) -> [ValidationStatement] {
        let schema = effective(schema)
        let c = schema.constraints
        var statements: [ValidationStatement] = []
        func statement(_ kind: ValidationStatement.Kind) -> ValidationStatement {
            ValidationStatement(kind: kind, value: value, path: path)
        }
        switch schema.shape {
        case .string(let kind):
            if c.minLength != nil || c.maxLength != nil {
                var length = statement(.length)
                length.minimum = SwiftLiteral.optional(c.minLength)
                length.maximum = SwiftLiteral.optional(c.maxLength)
                statements.append(length)
            }
            if let pattern = c.pattern {
                var check = statement(.pattern)
                check.patternIndex = patterns.firstIndex(of: pattern) ?? { patterns.append(pattern); return patterns.count - 1 }()
                statements.append(check)
            }
            if let format = Self.runtimeFormat(kind) {
                var check = statement(.format)
                check.formatName = format
                statements.append(check)
            }
        case .integer:
            var bounds = Self.integerBounds(c)
            if let multiple = c.multipleOf, multiple.rounded() != multiple {
                // A fractional multipleOf is checked in floating point.
                bounds.multipleOf = nil
                var check = statement(.multiple)
                check.asDouble = true
                check.divisor = SwiftLiteral.double(multiple)
                statements.append(check)
            }
            statements += numericChecks(bounds, value: value, path: path, widensToInt64: true, literal: SwiftLiteral.int64)
        case .number:
            statements += numericChecks(c, value: value, path: path, widensToInt64: false, literal: SwiftLiteral.double)
        case .array(let items):
            if c.minItems != nil || c.maxItems != nil {
                var check = statement(.items)
                check.minimum = SwiftLiteral.optional(c.minItems)
                check.maximum = SwiftLiteral.optional(c.maxItems)
                statements.append(check)
            }
            if c.uniqueItems {
                statements.append(statement(.unique))
            }
            let element = "element\(depth)", index = "index\(depth)"
            let inner = checkStatements(items, value: element, path: path.appending(index), patterns: &patterns, depth: depth + 1)
            if !inner.isEmpty {
                var loop = statement(.elements)
                loop.index = index
                loop.element = element
                loop.body = inner
                statements.append(loop)
            }
        case .map(let valueSchema):
            if c.minProperties != nil || c.maxProperties != nil {
                var check = statement(.propertyCount)
                check.minimum = SwiftLiteral.optional(c.minProperties)
                check.maximum = SwiftLiteral.optional(c.maxProperties)
                statements.append(check)
            }
            let element = "element\(depth)", key = "key\(depth)"
            let inner = checkStatements(valueSchema, value: element, path: path.appending(key), patterns: &patterns, depth: depth + 1)
            if !inner.isEmpty {
                var loop = statement(.entries)
                loop.index = key
                loop.element = element
                loop.body = inner
                statements.append(loop)
            }
        default:
            break
        }
        return statements
    }

    /// Bounds, `multipleOf` and allowed values of a number, with `literal` writing the constants.
    /// Integer schemas may state fractional bounds (`minimum: 0.5`); these are the integer bounds
    /// that admit exactly the same integers.
    static func integerBounds(_ c: Constraints) -> Constraints {
        var c = c
        c.minimum = c.minimum.map { $0.rounded(.up) }
        c.maximum = c.maximum.map { $0.rounded(.down) }
        c.exclusiveMinimum = c.exclusiveMinimum.map { $0.rounded(.down) }
        c.exclusiveMaximum = c.exclusiveMaximum.map { $0.rounded(.up) }
        return c
    }

    private func numericChecks(_ c: Constraints, value: String, path: JSONPathExpression, widensToInt64: Bool, literal: (Double) -> String) -> [ValidationStatement] {
        var statements: [ValidationStatement] = []
        let bounds = [("minimum", c.minimum), ("exclusiveMinimum", c.exclusiveMinimum), ("maximum", c.maximum), ("exclusiveMaximum", c.exclusiveMaximum)]
            .compactMap { name, bound in bound.map { ValidationStatement.Bound(label: name, literal: literal($0)) } }
        if !bounds.isEmpty {
            var check = ValidationStatement(kind: .range, value: value, path: path)
            check.bounds = bounds
            statements.append(check)
        }
        if let multiple = c.multipleOf {
            var check = ValidationStatement(kind: .multiple, value: value, path: path)
            check.divisor = literal(multiple)
            statements.append(check)
        }
        if let allowed = c.allowedNumbers {
            var check = ValidationStatement(kind: .allowed, value: value, path: path)
            check.asInt64 = widensToInt64
            check.allowedValues = allowed.map(literal)
            statements.append(check)
        }
        return statements
    }

    /// The statements that validate nested generated values of a non-optional `value`.
    func nestedValidation(_ schema: SchemaModel, value: String, path: JSONPathExpression, depth: Int = 0) -> [ValidationStatement] {
        if isContractType(schema) {
            // A string enum has nothing left to check once it is one of its cases.
            return isStringEnum(schema) ? [] : [ValidationStatement(kind: .nested, value: value, path: path)]
        }
        let schema = effective(schema)
        let element = "element\(depth)", index = "index\(depth)"
        let inner: [ValidationStatement]
        var loop: ValidationStatement
        switch schema.shape {
        case .array(let items):
            inner = nestedValidation(items, value: element, path: path.appending(index), depth: depth + 1)
            loop = ValidationStatement(kind: .elements, value: value, path: path)
        case .map(let valueSchema):
            inner = nestedValidation(valueSchema, value: element, path: path.appending(index), depth: depth + 1)
            loop = ValidationStatement(kind: .entries, value: value, path: path)
        default:
            return []
        }
        guard !inner.isEmpty else { return [] }
        loop.index = index
        loop.element = element
        loop.body = inner
        return [loop]
    }

    /// A Swift literal for a schema default, or nil when it cannot be written for that type.
    func defaultLiteral(_ value: LiteralValue, for schema: SchemaModel) -> String? {
        let schema = effective(schema)
        switch (schema.shape, value) {
        case (.string(.plain), .string(let text)), (.string(.email), .string(let text)), (.string(.uri), .string(let text)):
            return SwiftNaming.literal(text)
        case (.stringEnum(let values), .string(let text)) where values.contains(text):
            return "." + SwiftNaming.memberName(text)
        case (.reference(let name), .string(let text)):
            if case .stringEnum(let values)? = schemas[name]?.shape, values.contains(text) { return "." + SwiftNaming.memberName(text) }
            return nil
        case (.integer, .integer(let number)):
            return String(number)
        case (.number, .integer(let number)):
            return "\(Double(number))"
        case (.number, .number(let number)):
            return "\(number)"
        case (.boolean, .bool(let flag)):
            return flag ? "true" : "false"
        case (.array(let items), .array(let elements)):
            let rendered = elements.map { defaultLiteral($0, for: items) }
            guard rendered.allSatisfy({ $0 != nil }) else { return nil }
            return "[" + rendered.compactMap { $0 }.joined(separator: ", ") + "]"
        default:
            return nil
        }
    }

    static func runtimeFormat(_ kind: SchemaModel.StringKind) -> String? {
        switch kind {
        case .email: "email"
        case .uri: "uri"
        case .date: "date"
        case .hostname: "hostname"
        case .ipv4: "ipv4"
        case .ipv6: "ipv6"
        case .byte: "byte"
        default: nil
        }
    }

}

/// An inline object, enum or union that becomes a type nested in its parent.
struct NestedDeclaration {
    var name: String
    var schema: SchemaModel
    /// The object is a `multipart/form-data` body (a `ContractForm`), not a JSON value.
    var form = false
}
