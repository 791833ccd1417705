/// Builds the Swift IR of schema declarations: structs for objects, enums for string enums and
/// unions, typealiases for the rest; inline schemas become nested declarations.
struct DeclarationBuilder {
    let mapper: SwiftTypeMapper
    let access: String

    /// The declaration of the named schema `name`.
    func declaration(named name: String, schema: SchemaModel) -> SwiftDeclaration {
        declaration(typeName: mapper.typeNames[name] ?? SwiftNaming.typeName(name), schema: schema)
    }

    /// The declaration of a component schema, with the moves of its `x-state-machine` when it declares
    /// one; `display` shows where (`contracts/api/v1/tasks.yaml:364`).
    func declaration(of named: NamedSchema, display: (SourceLocation) -> String) -> SwiftDeclaration {
        let declaration = declaration(named: named.name, schema: named.schema)
        guard case .stringEnum(var enumeration) = declaration, let machine = named.stateMachine else { return declaration }
        enumeration.stateMachine = StateMachineDeclaration(
            access: access, type: enumeration.name, schema: named.name,
            source: machine.location.map(display) ?? named.sourceFile, machine: machine, cases: enumeration.cases)
        return .stringEnum(enumeration)
    }

    func declaration(typeName: String, schema: SchemaModel) -> SwiftDeclaration {
        switch schema.shape {
        case .object(let object):
            return .structure(structure(typeName, schema: schema, object: object))
        case .stringEnum(let values):
            return .stringEnum(stringEnum(typeName, schema: schema, values: values))
        case .union(let union):
            return .union(unionEnum(typeName, schema: schema, union: union))
        default:
            var nested: [NestedDeclaration] = []
            let type = mapper.swiftType(schema, suggestedName: typeName, nested: &nested)
            return .alias(TypeAliasDeclaration(
                docLines: SwiftNaming.docLines(schema.description), access: access, name: typeName, type: type,
                nested: declarations(nested)))
        }
    }

    /// The declarations of inline schemas found while mapping types.
    func declarations(_ nested: [NestedDeclaration]) -> [SwiftDeclaration] {
        nested.map { declaration in
            if declaration.form, case .object(let object) = declaration.schema.shape {
                return .form(structure(declaration.name, schema: declaration.schema, object: object, form: true))
            }
            return self.declaration(typeName: declaration.name, schema: declaration.schema)
        }
    }

    // MARK: - Structs

    /// With `form`, a `multipart/form-data` body: `format: binary` fields are `FormFile`s, and the unnamed properties and
    /// property counts of JSON objects do not apply.
    private func structure(_ typeName: String, schema: SchemaModel, object: ObjectModel, form: Bool = false) -> StructDeclaration {
        var nested: [NestedDeclaration] = []
        var properties: [StructProperty] = []
        var checkBlocks: [ValueCheckBlock] = []
        var validationBlocks: [ValueCheckBlock] = []
        var patterns: [String] = []
        var usedNames: Set<String> = []
        // For `minProperties`/`maxProperties`: members that may be absent, and how many never are.
        var optionalMembers: [String] = []
        var alwaysPresent = 0

        var members: [String] = []
        for property in object.properties {
            var name = SwiftNaming.memberName(property.name)
            // `json` and `hashValue` are members every generated struct already has.
            if ["json", "hashValue"].contains(name) { name += "Value" }
            while usedNames.contains(name) { name += "_" }
            usedNames.insert(name)
            members.append(name)
        }
        // Locals of `init?(json:)` and parameters of `check` get another name when the property's
        // name is one the generated code itself uses there (`path`, `issues`, `reader`, …).
        var localNames: [String] = []
        for member in members {
            guard Self.scaffolding.contains(member) else { localNames.append(member); continue }
            var local = member + "Field"
            while usedNames.contains(local) || localNames.contains(local) { local += "_" }
            localNames.append(local)
        }
        for (propertyIndex, property) in object.properties.enumerated() {
            let memberName = members[propertyIndex]
            let localName = localNames[propertyIndex]
            let bare = localName.trimmingCharacters(in: ["`"])
            var doc = SwiftNaming.docLines(property.schema.description)
            if property.schema.deprecated { doc.append("- Note: Deprecated.") }
            // A required string of one value is not stored: no type of its own, nothing to pass to `init`.
            if !form, property.required, let value = mapper.constantValue(property.schema) {
                alwaysPresent += 1
                properties.append(StructProperty(
                    docLines: doc, member: memberName, local: localName, type: .named("String"), baseType: .named("String"),
                    key: SwiftNaming.literal(property.name), coding: .constant, constantLiteral: SwiftNaming.literal(value)))
                continue
            }
            let fileType = form ? mapper.formFileType(property.schema) : nil
            let baseType = fileType ?? mapper.swiftType(property.schema, suggestedName: property.name, nested: &nested)
            let nullable = property.schema.nullable
            let defaultLiteral = property.required || nullable ? nil : property.schema.defaultValue.flatMap { mapper.defaultLiteral($0, for: property.schema) }
            let coding: StructProperty.Coding
            let fullType: SwiftType
            switch (property.required, nullable, defaultLiteral) {
            case (true, false, _): (coding, fullType) = (.required, baseType)
            case (true, true, _): (coding, fullType) = (.requiredNullable, .optional(baseType))
            case (false, false, _?): (coding, fullType) = (.optionalWithDefault, baseType)
            case (false, false, nil): (coding, fullType) = (.optional, .optional(baseType))
            case (false, true, _): (coding, fullType) = (.optionalNullable, .optional(.nullable(baseType)))
            }
            if fullType.isOptional { optionalMembers.append(memberName) } else { alwaysPresent += 1 }
            let path = JSONPathExpression.current.appending(SwiftNaming.literal(property.name))
            let unwrapped = "\(bare)Value"
            let binding: ValueCheckBlock.Binding = coding == .optionalNullable ? .nullable : fullType.isOptional ? .optional : .present
            let checks = fileType != nil ? [] : mapper.checkStatements(property.schema, value: unwrapped, path: path, patterns: &patterns)
            if !checks.isEmpty {
                // A decoded local is optional (decoding may have failed) unless a default filled it in.
                checkBlocks.append(ValueCheckBlock(
                    binding: coding == .optionalNullable ? .nullable : .optional, local: unwrapped, source: localName,
                    throughSelf: false, statements: checks))
            }
            let nestedChecks = fileType != nil ? [] : mapper.nestedValidation(property.schema, value: unwrapped, path: path)
            if !nestedChecks.isEmpty {
                // `self.` keeps a property named like a parameter of `validate` (`path`, `issues`) from being shadowed.
                validationBlocks.append(ValueCheckBlock(binding: binding, local: unwrapped, source: memberName, throughSelf: true, statements: nestedChecks))
            }
            properties.append(StructProperty(
                docLines: doc, member: memberName, local: localName, type: fullType, baseType: baseType,
                key: SwiftNaming.literal(property.name), coding: coding, defaultLiteral: defaultLiteral ?? "",
                indirect: mapper.needsIndirection(property.schema)))
        }

        let rules = object.rules.map { rule($0, object: object, localNames: localNames, members: properties) }

        var additionalMember = ""
        switch object.additionalProperties {
        case .typed(let valueSchema) where !form:
            let valueType = mapper.swiftType(valueSchema, suggestedName: "AdditionalProperty", nested: &nested)
            var name = "additionalProperties"
            while usedNames.contains(name) { name += "_" }
            properties.append(StructProperty(
                docLines: ["Properties the contract does not name, kept as `additionalProperties` describes them."],
                member: name, local: name, type: .dictionary(valueType), baseType: valueType, key: "", coding: .additional))
            additionalMember = name
        case .typed, .forbidden, .allowed:
            break
        }
        let counts = schema.constraints
        var propertyCount: StructDeclaration.PropertyCount?
        if !form, counts.minProperties != nil || counts.maxProperties != nil {
            propertyCount = StructDeclaration.PropertyCount(
                minimum: SwiftLiteral.optional(counts.minProperties), maximum: SwiftLiteral.optional(counts.maxProperties),
                alwaysPresent: alwaysPresent, optionalMembers: optionalMembers, additionalMember: additionalMember)
        }

        var doc = SwiftNaming.docLines(schema.description)
        if let table = object.table { doc += (doc.isEmpty ? [] : [""]) + ["Bound to the `\(table)` table (`x-table`)."] }
        var rejectsUnknownKeys = false
        if case .forbidden = object.additionalProperties { rejectsUnknownKeys = true }
        return StructDeclaration(
            docLines: doc, access: access, name: typeName, properties: properties,
            patterns: patterns.enumerated().map { PatternConstant(index: $0.offset, literal: SwiftLiteral.raw($0.element)) },
            jsonKeys: object.properties.map { SwiftNaming.literal($0.name) }, rejectsUnknownKeys: rejectsUnknownKeys,
            checkBlocks: checkBlocks, validationBlocks: validationBlocks, rules: rules, propertyCount: propertyCount,
            nested: declarations(nested), form: form)
    }

    /// A rule across properties, over `check`'s parameters.
    private func rule(_ rule: ObjectRule, object: ObjectModel, localNames: [String], members: [StructProperty]) -> PropertyRule {
        func condition(_ condition: PropertyCondition) -> PropertyRule.Condition {
            var terms: [PropertyRule.Term] = []
            let summary = SwiftNaming.literal(condition.summary)
            let impossible = PropertyRule.Condition(summary: summary, terms: [], impossible: true)
            for name in condition.present where !condition.values.contains(where: { $0.name == name }) {
                guard let index = object.properties.firstIndex(where: { $0.name == name }) else { return impossible }
                terms.append(PropertyRule.Term(local: localNames[index], presence: true, literal: "", wrapsNullable: false))
            }
            for pinned in condition.values {
                guard let index = object.properties.firstIndex(where: { $0.name == pinned.name }) else { return impossible }
                // A constant's local is its string; other enums' are cases.
                let literal = if members[index].coding == .constant, case .string(let text) = pinned.value {
                    SwiftNaming.literal(text)
                } else {
                    mapper.defaultLiteral(pinned.value, for: object.properties[index].schema)
                }
                guard let literal else { return impossible }
                let property = object.properties[index]
                terms.append(PropertyRule.Term(
                    local: localNames[index], presence: false, literal: literal, wrapsNullable: !property.required && property.schema.nullable))
            }
            return PropertyRule.Condition(summary: summary, terms: terms, impossible: false)
        }
        let kind: PropertyRule.Kind = switch rule.kind {
        case .anyOf: .anyOf
        case .oneOf: .oneOf
        case .not: .not
        }
        return PropertyRule(kind: kind, conditions: kind == .not ? [condition(rule.conditions[0])] : rule.conditions.map(condition))
    }

    /// Names `init?(json:)`, `json` and `check` use for their own locals and parameters.
    static let scaffolding: Set<String> = ["path", "issues", "reader", "before", "writer", "key", "value"]

    // MARK: - Enums

    private func stringEnum(_ typeName: String, schema: SchemaModel, values: [String]) -> StringEnumDeclaration {
        var used: Set<String> = []
        let cases = values.map { value in
            var name = SwiftNaming.memberName(value)
            while used.contains(name) { name += "_" }
            used.insert(name)
            return StringEnumDeclaration.Case(name: name, raw: SwiftNaming.literal(value))
        }
        return StringEnumDeclaration(
            docLines: SwiftNaming.docLines(schema.description), access: access, name: typeName, cases: cases)
    }

    private func unionEnum(_ typeName: String, schema: SchemaModel, union: UnionModel) -> UnionDeclaration {
        var nested: [NestedDeclaration] = []
        var used: Set<String> = []
        var cases: [UnionDeclaration.Case] = []
        for (index, alternative) in union.alternatives.enumerated() {
            let type = mapper.swiftType(alternative, suggestedName: "Case\(index + 1)", nested: &nested)
            var name: String
            if case .reference(let reference) = alternative.shape {
                name = SwiftNaming.memberName(reference)
            } else {
                name = SwiftNaming.memberName(type.names.joined().filter { $0.isLetter || $0.isNumber })
            }
            while used.contains(name) { name += "_" }
            used.insert(name)
            var discriminatorValues: [String] = []
            if let discriminator = union.discriminator, case .reference(let reference) = alternative.shape {
                discriminatorValues = discriminator.mapping.filter { $0.schema == reference }.map(\.value)
                if discriminatorValues.isEmpty { discriminatorValues = [reference] }
            }
            cases.append(UnionDeclaration.Case(
                name: name, type: type, validates: mapper.isContractType(alternative) && !mapper.isStringEnum(alternative),
                discriminatorValues: discriminatorValues.map(SwiftNaming.literal)))
        }
        return UnionDeclaration(
            docLines: SwiftNaming.docLines(schema.description), access: access, name: typeName, cases: cases,
            exclusive: union.exclusive, discriminator: union.discriminator.map { SwiftNaming.literal($0.propertyName) },
            nested: declarations(nested))
    }
}
