import Yams

/// Translates JSON-Schema nodes of the bundled document into the language-neutral `SchemaModel`.
///
/// Constructs the model has no place for (`not`, `if`/`then`/`else`, tuples, pattern
/// properties) become `.any` with a warning at the keyword, never a crash.
struct SchemaTranslator {
    let document: BundledDocument
    var diagnostics = DiagnosticCollector()
    /// `components/schemas` by name: the bundled document's component index.
    private let componentSchemas: [String: Node]

    init(document: BundledDocument) {
        self.document = document
        componentSchemas = document.componentIndex["schemas"] ?? [:]
    }

    var componentNames: [String] { componentSchemas.keys.sorted() }

    func componentNode(_ name: String) -> Node? { componentSchemas[name] }

    mutating func translate(_ node: Node, at pointer: JSONPointer) -> SchemaModel {
        let location = document.location(of: pointer, node: node)
        // A boolean schema.
        if case .bool(let value) = node.literal {
            return SchemaModel(value ? .any : .any, location: location)
        }
        guard node.isMapping else {
            diagnostics.warning("a schema must be a mapping; treated as any value", at: location, rule: "schema-shape")
            return SchemaModel(.any, location: location)
        }
        // One pass over the keys: a schema is looked up for twenty keywords.
        let keywords = Dictionary(node.pairs, uniquingKeysWith: { first, _ in first })
        var model = SchemaModel(.any, location: location)
        model.description = keywords["description"]?.string ?? keywords["title"]?.string
        model.deprecated = keywords["deprecated"]?.boolValue ?? false
        model.defaultValue = keywords["default"]?.literal
        model.constraints = constraints(of: keywords)
        if keywords["nullable"]?.boolValue == true { model.nullable = true }

        if let ref = keywords["$ref"]?.string {
            model.shape = referenceShape(ref, at: pointer.appending("$ref"))
            return model
        }

        var types: [String] = []
        if let typeNode = keywords["type"] {
            types = typeNode.isSequence ? typeNode.elements.compactMap(\.string) : [typeNode.string].compactMap { $0 }
        }
        if types.contains("null") {
            model.nullable = true
            types.removeAll { $0 == "null" }
        }

        // `anyOf`/`oneOf`/`not` beside `properties` (or `allOf`) that only name required properties
        // and `const` values are rules across the object's properties, not alternatives of the value.
        var rules: [ObjectRule] = []
        var ruleKeywords: Set<String> = []
        if keywords["properties"] != nil || keywords["allOf"] != nil {
            for (keyword, kind) in [("anyOf", ObjectRule.Kind.anyOf), ("oneOf", .oneOf), ("not", .not)] {
                guard let value = keywords[keyword] else { continue }
                let subschemas = kind == .not ? [value] : value.elements
                let conditions = subschemas.compactMap(Self.condition)
                guard !subschemas.isEmpty, conditions.count == subschemas.count else { continue }
                rules.append(ObjectRule(kind: kind, conditions: conditions))
                ruleKeywords.insert(keyword)
            }
        }

        for keyword in ["not", "if", "prefixItems", "patternProperties", "$dynamicRef", "dependentSchemas"] where keywords[keyword] != nil && !ruleKeywords.contains(keyword) {
            diagnostics.warning("'\(keyword)' is not supported by the generator; it is not enforced", at: document.location(of: pointer.appending(keyword)), rule: "unsupported")
        }

        if let allOf = keywords["allOf"], allOf.isSequence {
            for keyword in ["oneOf", "anyOf"] where keywords[keyword] != nil && !ruleKeywords.contains(keyword) {
                diagnostics.warning(
                    "'\(keyword)' beside 'allOf' is not supported by the generator (only rules over required properties and const values are); it is not enforced",
                    at: document.location(of: pointer.appending(keyword)), rule: "unsupported")
            }
            model.shape = allOfShape(allOf, at: pointer.appending("allOf"), base: node, basePointer: pointer, rules: rules)
            return model
        }
        for (keyword, exclusive) in [("oneOf", true), ("anyOf", false)] where !ruleKeywords.contains(keyword) {
            guard let list = keywords[keyword], list.isSequence else { continue }
            let alternatives = list.elements.enumerated().map { index, element in
                translate(element, at: pointer.appending(keyword).appending(index))
            }
            // `oneOf: [X, {type: null}]` is a nullable X.
            let nonNull = alternatives.filter { !Self.isNullOnly($0) }
            if nonNull.count == 1, alternatives.count == 2 {
                var single = nonNull[0]
                single.nullable = true
                if single.description == nil { single.description = model.description }
                single.location = location
                return single
            }
            if alternatives.count != nonNull.count { model.nullable = true }
            model.shape = .union(UnionModel(exclusive: exclusive, alternatives: nonNull, discriminator: discriminator(of: node, at: pointer)))
            return model
        }

        if let values = keywords["enum"]?.elements ?? keywords["const"].map({ [$0] }) {
            var strings: [String] = []
            var numbers: [Double] = []
            var other = false
            for value in values {
                switch value.literal {
                case .string(let text): strings.append(text)
                case .integer(let number): numbers.append(Double(number))
                case .number(let number): numbers.append(number)
                case .null: model.nullable = true
                default: other = true
                }
            }
            if !strings.isEmpty, numbers.isEmpty, !other, types.isEmpty || types == ["string"] {
                model.shape = .stringEnum(strings)
                return model
            }
            if !numbers.isEmpty, strings.isEmpty, !other {
                model.constraints.allowedNumbers = numbers
            }
        }

        let type = types.count == 1 ? types[0] : (types.isEmpty ? inferredType(of: keywords) : nil)
        switch type {
        case "string":
            model.shape = .string(stringKind(keywords["format"]?.string))
        case "integer":
            switch keywords["format"]?.string {
            case "int32": model.shape = .integer(.int32)
            case "int64": model.shape = .integer(.int64)
            default: model.shape = .integer(.platform)
            }
        case "number":
            model.shape = .number
        case "boolean":
            model.shape = .boolean
        case "array":
            let items = keywords["items"].map { translate($0, at: pointer.appending("items")) } ?? SchemaModel(.any)
            model.shape = .array(items)
        case "object":
            model.shape = objectShape(node, at: pointer, rules: rules)
        default:
            if types.count > 1 {
                diagnostics.warning("a schema with several types (\(types.joined(separator: ", "))) is represented as any JSON value", at: location, rule: "unsupported")
            }
            model.shape = .any
        }
        return model
    }

    private func inferredType(of keywords: [String: Node]) -> String? {
        if keywords["properties"] != nil || keywords["additionalProperties"] != nil { return "object" }
        if keywords["items"] != nil { return "array" }
        return nil
    }

    private mutating func referenceShape(_ ref: String, at pointer: JSONPointer) -> SchemaModel.Shape {
        let target = JSONPointer(parsing: ref)
        if target.tokens.count == 3, target.tokens[0] == "components", target.tokens[1] == "schemas", componentSchemas[target.tokens[2]] != nil {
            return .reference(target.tokens[2])
        }
        diagnostics.error("$ref '\(ref)' does not name a schema in components/schemas", at: document.location(of: pointer), rule: "ref-resolves")
        return .any
    }

    /// The condition a rule subschema states, or nil when it says more than `required` and
    /// `properties: {name: {const: value}}`.
    private static func condition(_ node: Node) -> PropertyCondition? {
        guard node.isMapping else { return nil }
        var present: [String] = []
        var values: [PropertyValue] = []
        for (key, value) in node.pairs {
            switch key {
            case "required":
                present = value.elements.compactMap(\.string)
            case "properties":
                for (name, schema) in value.pairs {
                    guard schema.isMapping, schema.pairs.map(\.key) == ["const"], let constant = schema.child("const") else { return nil }
                    switch constant.literal {
                    case .bool, .integer, .number, .string: values.append(PropertyValue(name: name, value: constant.literal))
                    case .null, .array, .object: return nil
                    }
                }
            case "description", "title":
                continue
            default:
                return nil
            }
        }
        return present.isEmpty && values.isEmpty ? nil : PropertyCondition(present: present, values: values)
    }

    private mutating func objectShape(_ node: Node, at pointer: JSONPointer, rules: [ObjectRule] = []) -> SchemaModel.Shape {
        let required = Set(node.child("required")?.elements.compactMap(\.string) ?? [])
        var properties: [PropertyModel] = []
        for (name, propertyNode) in node.child("properties")?.pairs ?? [] {
            let schema = translate(propertyNode, at: pointer.appending("properties").appending(name))
            let computed = propertyNode.child("x-computed").map { $0.literal == .bool(true) } ?? false
            properties.append(PropertyModel(name: name, schema: schema, required: required.contains(name), computed: computed))
        }
        let declared = Set(properties.map(\.name))
        for name in required.sorted() where !declared.contains(name) {
            diagnostics.warning("required property '\(name)' is not declared in properties", at: document.location(of: pointer.appending("required")), rule: "schema-shape")
        }
        var additional: ObjectModel.AdditionalProperties = .allowed
        if let additionalNode = node.child("additionalProperties") {
            if let flag = additionalNode.boolValue {
                additional = flag ? .allowed : .forbidden
            } else {
                additional = .typed(translate(additionalNode, at: pointer.appending("additionalProperties")))
            }
        }
        for rule in rules {
            for condition in rule.conditions {
                for name in condition.present + condition.values.map(\.name) where !declared.contains(name) {
                    diagnostics.warning("the \(rule.kind.rawValue) rule names '\(name)', which is not declared in properties; it never holds", at: document.location(of: pointer.appending(rule.kind.rawValue)), rule: "schema-shape")
                }
                for name in condition.present where !condition.values.contains(where: { $0.name == name }) {
                    if let property = properties.first(where: { $0.name == name }), property.schema.defaultValue != nil, !property.required {
                        diagnostics.warning("the \(rule.kind.rawValue) rule requires '\(name)', which has a default: once decoded it is always present", at: document.location(of: pointer.appending(rule.kind.rawValue)), rule: "schema-shape")
                    }
                }
            }
        }
        if properties.isEmpty {
            switch additional {
            case .typed(let value): return .map(value)
            case .allowed: return .map(SchemaModel(.any))
            case .forbidden: break
            }
        }
        return .object(ObjectModel(properties: properties, additionalProperties: additional, table: node.child("x-table")?.string, rules: rules))
    }

    /// Merges `allOf` parts into one object, with the parts' rules and `rules` (those beside
    /// `allOf`); a lone `$ref` part without rules or properties beside it is that reference.
    private mutating func allOfShape(_ list: Node, at pointer: JSONPointer, base: Node, basePointer: JSONPointer, rules baseRules: [ObjectRule]) -> SchemaModel.Shape {
        let parts = list.elements
        if parts.count == 1, base.child("properties") == nil, baseRules.isEmpty {
            return translate(parts[0], at: pointer.appending(0)).shape
        }
        var properties: [PropertyModel] = []
        var rules: [ObjectRule] = []
        var additional: ObjectModel.AdditionalProperties = .allowed
        var table: String?
        var ok = true
        var visited: Set<String> = []
        func absorb(_ shape: SchemaModel.Shape, into translator: inout SchemaTranslator) {
            switch shape {
            case .object(let object):
                for property in object.properties {
                    if let index = properties.firstIndex(where: { $0.name == property.name }) {
                        properties[index].required = properties[index].required || property.required
                        properties[index].schema = property.schema
                    } else {
                        properties.append(property)
                    }
                }
                if object.additionalProperties != .allowed { additional = object.additionalProperties }
                table = object.table ?? table
                rules += object.rules
            case .reference(let name):
                guard !visited.contains(name), let target = translator.componentSchemas[name] else { ok = false; return }
                visited.insert(name)
                let resolved = translator.translate(target, at: JSONPointer(["components", "schemas", name]))
                absorb(resolved.shape, into: &translator)
            case .map(let value) where value.shape == .any:
                break
            default:
                ok = false
            }
        }
        for (index, part) in parts.enumerated() {
            let schema = translate(part, at: pointer.appending(index))
            absorb(schema.shape, into: &self)
        }
        if base.child("properties") != nil {
            absorb(objectShape(base, at: basePointer), into: &self)
        }
        guard ok else {
            diagnostics.warning("allOf parts that are not all objects are represented as any JSON value", at: document.location(of: pointer), rule: "unsupported")
            return .any
        }
        return .object(ObjectModel(properties: properties, additionalProperties: additional, table: table, rules: rules + baseRules))
    }

    private mutating func discriminator(of node: Node, at pointer: JSONPointer) -> UnionModel.Discriminator? {
        guard let discriminator = node.child("discriminator"), let property = discriminator.child("propertyName")?.string else { return nil }
        var mapping: [(value: String, schema: String)] = []
        for (value, refNode) in discriminator.child("mapping")?.pairs ?? [] {
            guard let ref = refNode.string else { continue }
            if case .reference(let name) = referenceShape(ref.hasPrefix("#") ? ref : "#/components/schemas/\(ref)", at: pointer.appending("discriminator")) {
                mapping.append((value, name))
            }
        }
        return UnionModel.Discriminator(propertyName: property, mapping: mapping)
    }

    private func constraints(of keywords: [String: Node]) -> Constraints {
        var c = Constraints()
        c.minLength = keywords["minLength"]?.intValue
        c.maxLength = keywords["maxLength"]?.intValue
        c.pattern = keywords["pattern"]?.string
        c.minimum = keywords["minimum"]?.doubleValue
        c.maximum = keywords["maximum"]?.doubleValue
        c.exclusiveMinimum = keywords["exclusiveMinimum"]?.doubleValue
        c.exclusiveMaximum = keywords["exclusiveMaximum"]?.doubleValue
        c.multipleOf = keywords["multipleOf"]?.doubleValue
        c.minItems = keywords["minItems"]?.intValue
        c.maxItems = keywords["maxItems"]?.intValue
        c.uniqueItems = keywords["uniqueItems"]?.boolValue ?? false
        c.minProperties = keywords["minProperties"]?.intValue
        c.maxProperties = keywords["maxProperties"]?.intValue
        return c
    }

    private func stringKind(_ format: String?) -> SchemaModel.StringKind {
        switch format {
        case "uuid": .uuid
        case "date-time": .dateTime
        case "email", "idn-email": .email
        case "uri", "url", "iri": .uri
        case "date": .date
        case "hostname": .hostname
        case "ipv4": .ipv4
        case "ipv6": .ipv6
        case "byte": .byte
        case "binary": .binary
        default: .plain
        }
    }

    static func isNullOnly(_ schema: SchemaModel) -> Bool {
        schema.nullable && schema.shape == .any && schema.constraints.isEmpty
    }
}
