/// Builds the Swift view model (Mustache contexts) of schema declarations: structs for objects,
/// enums for string enums and unions, typealiases for the rest; nested types rendered inside.
struct DeclarationBuilder {
    let mapper: SwiftTypeMapper
    let access: String
    /// Renders a template with a context (the renderer stage, injected).
    let render: (String, [String: Any]) -> String

    /// The rendered declaration of the named schema `name`.
    func declaration(named name: String, schema: SchemaModel) -> String {
        declaration(typeName: mapper.typeNames[name] ?? SwiftNaming.typeName(name), schema: schema)
    }

    func declaration(typeName: String, schema: SchemaModel) -> String {
        switch schema.shape {
        case .object(let object):
            return structure(typeName, schema: schema, object: object)
        case .stringEnum(let values):
            return stringEnum(typeName, schema: schema, values: values)
        case .union(let union):
            return unionEnum(typeName, schema: schema, union: union)
        default:
            var nested: [NestedDeclaration] = []
            let type = mapper.swiftType(schema, suggestedName: typeName, nested: &nested)
            let nestedText = nested.map { Self.indent(declaration(typeName: $0.name, schema: $0.schema)) }
            return render("typealias", [
                "docLines": SwiftNaming.docLines(schema.description), "access": access, "name": typeName, "type": type,
                "nested": nestedText,
            ])
        }
    }

    // MARK: - Structs

    private func structure(_ typeName: String, schema: SchemaModel, object: ObjectModel) -> String {
        var nested: [NestedDeclaration] = []
        var properties: [[String: Any]] = []
        var decodeLines: [String] = []
        var encodeLines: [String] = []
        var checkLines: [String] = []
        var validateLines: [String] = []
        var patterns: [String] = []
        var guardNames: [String] = []
        var initArguments: [String] = []
        var checkParameters: [String] = []
        var checkArguments: [String] = []
        var checkMembers: [String] = []
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
            let baseType = mapper.swiftType(property.schema, suggestedName: property.name, nested: &nested)
            let nullable = property.schema.nullable
            let defaultLiteral = property.required || nullable ? nil : property.schema.defaultValue.flatMap { mapper.defaultLiteral($0, for: property.schema) }
            let key = SwiftNaming.literal(property.name)
            let fullType: String
            let parameterDefault: String
            switch (property.required, nullable, defaultLiteral) {
            case (true, false, _):
                fullType = baseType
                parameterDefault = ""
                decodeLines.append("let \(localName) = reader.required(\(key), as: \(baseType).self, issues: &issues)")
                encodeLines.append("writer.set(\(key), self.\(memberName))")
                guardNames.append(localName)
            case (true, true, _):
                fullType = baseType + "?"
                parameterDefault = ""
                decodeLines.append("let \(localName) = reader.requiredNullable(\(key), as: \(baseType).self, issues: &issues)")
                encodeLines.append("writer.setNullable(\(key), self.\(memberName))")
            case (false, false, let literal?):
                fullType = baseType
                parameterDefault = " = \(literal)"
                decodeLines.append("let \(localName) = reader.optional(\(key), as: \(baseType).self, issues: &issues) ?? \(literal)")
                encodeLines.append("writer.set(\(key), self.\(memberName))")
            case (false, false, nil):
                fullType = baseType + "?"
                parameterDefault = " = nil"
                decodeLines.append("let \(localName) = reader.optional(\(key), as: \(baseType).self, issues: &issues)")
                encodeLines.append("writer.setIfPresent(\(key), self.\(memberName))")
            case (false, true, _):
                fullType = "Nullable<\(baseType)>?"
                parameterDefault = " = nil"
                decodeLines.append("let \(localName) = reader.optionalNullable(\(key), as: \(baseType).self, issues: &issues)")
                encodeLines.append("writer.setIfPresent(\(key), self.\(memberName))")
            }
            if fullType.hasSuffix("?") { optionalMembers.append(memberName) } else { alwaysPresent += 1 }
            let path = "path.appending(\(key))"
            let unwrapped = "\(bare)Value"
            let unwrap = fullType.hasPrefix("Nullable<") ? "if case .value(let \(unwrapped))? = \(localName) {" : "if let \(unwrapped) = \(localName) {"
            // `self.` keeps a property named like a parameter of `validate` (`path`, `issues`) from being shadowed.
            let validateUnwrap = fullType.hasPrefix("Nullable<")
                ? "if case .value(let \(unwrapped))? = self.\(memberName) {" : "if let \(unwrapped) = self.\(memberName) {"
            let bind = fullType.hasSuffix("?") ? validateUnwrap : "do {\n    let \(unwrapped) = self.\(memberName)"
            let checks = mapper.checkStatements(property.schema, value: unwrapped, path: path, patterns: &patterns)
            if !checks.isEmpty {
                checkLines.append(unwrap)
                checkLines += checks.map { "    " + $0 }
                checkLines.append("}")
            }
            let nestedChecks = mapper.nestedValidation(property.schema, value: unwrapped, path: path)
            if !nestedChecks.isEmpty {
                validateLines += bind.components(separatedBy: "\n")
                validateLines += nestedChecks.map { "    " + $0 }
                validateLines.append("}")
            }
            var doc = SwiftNaming.docLines(property.schema.description)
            if property.schema.deprecated { doc.append("/// - Note: Deprecated.") }
            properties.append([
                "docLines": doc, "name": memberName, "type": fullType, "parameter": "\(memberName): \(fullType)\(parameterDefault)",
                "deprecated": property.schema.deprecated, "indirect": mapper.needsIndirection(property.schema),
            ])
            initArguments.append("\(memberName): \(localName)")
            let checkLabel = localName == memberName ? memberName : "\(memberName) \(localName)"
            checkParameters.append("\(checkLabel): \(fullType.hasSuffix("?") ? fullType : fullType + "?")")
            checkArguments.append("\(memberName): \(localName)")
            checkMembers.append(memberName)
        }

        let ruleLines = object.rules.map { rule in
            ruleStatement(rule, object: object, localNames: localNames)
        }

        var additional: [String: Any]?
        var additionalMember: String?
        let keys = "[" + object.properties.map { SwiftNaming.literal($0.name) }.joined(separator: ", ") + "]"
        switch object.additionalProperties {
        case .forbidden:
            decodeLines.insert("reader.rejectUnknownKeys(Self.jsonKeys, issues: &issues)", at: 0)
        case .typed(let valueSchema):
            let valueType = mapper.swiftType(valueSchema, suggestedName: "AdditionalProperty", nested: &nested)
            var name = "additionalProperties"
            while usedNames.contains(name) { name += "_" }
            additional = ["name": name, "type": valueType]
            properties.append([
                "docLines": ["/// Properties the contract does not name, kept as `additionalProperties` describes them."],
                "name": name, "type": "[String: \(valueType)]", "parameter": "\(name): [String: \(valueType)] = [:]", "deprecated": false,
                "indirect": false,
            ])
            decodeLines.append("var \(name): [String: \(valueType)] = [:]")
            decodeLines.append("for key in reader.additionalKeys(excluding: Self.jsonKeys) {")
            decodeLines.append("    if let value = reader.object[key].flatMap({ \(valueType)(json: $0, at: path.appending(key), issues: &issues) }) { \(name)[key] = value }")
            decodeLines.append("}")
            encodeLines.append("for key in self.\(name).keys.sorted() { writer.set(key, self.\(name)[key]!) }")
            initArguments.append("\(name): \(name)")
            additionalMember = name
        case .allowed:
            break
        }
        // `minProperties`/`maxProperties` count the members the JSON object has: every key when
        // decoding (a default filled in later was not sent), the members that are set when validating.
        let counts = schema.constraints
        if counts.minProperties != nil || counts.maxProperties != nil {
            let bounds = "min: \(counts.minProperties.map(String.init) ?? "nil"), max: \(counts.maxProperties.map(String.init) ?? "nil")"
            decodeLines.append("Check.properties(count: reader.object.count, \(bounds), at: path, into: &issues)")
            validateLines.append("var presentCount = \(alwaysPresent)")
            validateLines += optionalMembers.map { "if self.\($0) != nil { presentCount += 1 }" }
            if let additionalMember { validateLines.append("presentCount += self.\(additionalMember).count") }
            validateLines.append("Check.properties(count: presentCount, \(bounds), at: path, into: &issues)")
        }

        let nestedText = nested.map { Self.indent(declaration(typeName: $0.name, schema: $0.schema)) }
        var doc = SwiftNaming.docLines(schema.description)
        if let table = object.table { doc += (doc.isEmpty ? [] : ["///"]) + ["/// Bound to the `\(table)` table (`x-table`)."] }
        let guardClause = (["issues.count == before"] + guardNames.map { "let \($0)" }).joined(separator: ", ")
        return render("struct", [
            "docLines": doc, "access": access, "name": typeName, "properties": properties,
            "initParameters": properties.map { $0["parameter"] as! String }.joined(separator: ", "),
            "assignments": properties.map { "self.\(($0["name"] as! String)) = \(($0["name"] as! String))" },
            "jsonKeys": keys, "decodeLines": decodeLines, "guardClause": guardClause,
            "initCall": "self.init(" + initArguments.joined(separator: ", ") + ")",
            "encodeLines": encodeLines, "checkLines": checkLines, "validateLines": validateLines,
            "checkParameters": (checkParameters + ["at path: JSONPath", "into issues: inout FieldIssues"]).joined(separator: ", "),
            "checkCall": "Self.check(" + (checkArguments + ["at: path", "into: &issues"]).joined(separator: ", ") + ")",
            "validateCheckCall": "Self.check(" + (checkMembers.map { "\($0): self.\($0)" } + ["at: path", "into: &issues"]).joined(separator: ", ") + ")",
            "hasChecks": !checkLines.isEmpty,
            "ruleLines": ruleLines, "hasRules": !ruleLines.isEmpty,
            "ruleCall": "Self.checkRules(" + (checkArguments + ["at: path", "into: &issues"]).joined(separator: ", ") + ")",
            "validateRuleCall": "Self.checkRules(" + (checkMembers.map { "\($0): self.\($0)" } + ["at: path", "into: &issues"]).joined(separator: ", ") + ")",
            "patterns": patterns.enumerated().map { ["index": $0.offset, "literal": Self.rawLiteral($0.element)] },
            "additional": additional as Any, "nested": nestedText,
        ])
    }

    /// The `Check` call of a rule across properties, over `check`'s parameters.
    private func ruleStatement(_ rule: ObjectRule, object: ObjectModel, localNames: [String]) -> String {
        func expression(_ condition: PropertyCondition) -> String {
            var terms: [String] = []
            for name in condition.present where !condition.values.contains(where: { $0.name == name }) {
                guard let index = object.properties.firstIndex(where: { $0.name == name }) else { return "false" }
                terms.append("\(localNames[index]) != nil")
            }
            for pinned in condition.values {
                guard let index = object.properties.firstIndex(where: { $0.name == pinned.name }),
                      let literal = mapper.defaultLiteral(pinned.value, for: object.properties[index].schema) else { return "false" }
                let property = object.properties[index]
                terms.append(!property.required && property.schema.nullable
                    ? "\(localNames[index]) == .value(\(literal))" : "\(localNames[index]) == \(literal)")
            }
            return terms.joined(separator: " && ")
        }
        let summaries = rule.conditions.map { SwiftNaming.literal($0.summary) }
        switch rule.kind {
        case .anyOf, .oneOf:
            let conditions = "[" + rule.conditions.map(expression).joined(separator: ", ") + "]"
            return "Check.\(rule.kind.rawValue)(\(conditions), [\(summaries.joined(separator: ", "))], at: path, into: &issues)"
        case .not:
            return "Check.not(\(expression(rule.conditions[0])), \(summaries[0]), at: path, into: &issues)"
        }
    }

    /// Names `init?(json:)`, `json` and `check` use for their own locals and parameters.
    static let scaffolding: Set<String> = ["path", "issues", "reader", "before", "writer", "key", "value"]

    // MARK: - Enums

    private func stringEnum(_ typeName: String, schema: SchemaModel, values: [String]) -> String {
        var used: Set<String> = []
        let cases: [[String: Any]] = values.map { value in
            var name = SwiftNaming.memberName(value)
            while used.contains(name) { name += "_" }
            used.insert(name)
            return ["name": name, "raw": SwiftNaming.literal(value)]
        }
        return render("string-enum", [
            "docLines": SwiftNaming.docLines(schema.description), "access": access, "name": typeName, "cases": cases,
            "allowed": values.joined(separator: ", "),
        ])
    }

    private func unionEnum(_ typeName: String, schema: SchemaModel, union: UnionModel) -> String {
        var nested: [NestedDeclaration] = []
        var used: Set<String> = []
        var cases: [[String: Any]] = []
        for (index, alternative) in union.alternatives.enumerated() {
            let type = mapper.swiftType(alternative, suggestedName: "Case\(index + 1)", nested: &nested)
            var name: String
            if case .reference(let reference) = alternative.shape {
                name = SwiftNaming.memberName(reference)
            } else {
                name = SwiftNaming.memberName(type.filter { $0.isLetter || $0.isNumber })
            }
            while used.contains(name) { name += "_" }
            used.insert(name)
            var discriminatorValues: [String] = []
            if let discriminator = union.discriminator, case .reference(let reference) = alternative.shape {
                discriminatorValues = discriminator.mapping.filter { $0.schema == reference }.map(\.value)
                if discriminatorValues.isEmpty { discriminatorValues = [reference] }
            }
            cases.append([
                "name": name, "type": type, "validates": mapper.isContractType(alternative),
                "discriminatorValues": discriminatorValues.map(SwiftNaming.literal).joined(separator: ", "),
                "hasDiscriminatorValues": !discriminatorValues.isEmpty,
            ])
        }
        let nestedText = nested.map { Self.indent(declaration(typeName: $0.name, schema: $0.schema)) }
        var context: [String: Any] = [
            "docLines": SwiftNaming.docLines(schema.description), "access": access, "name": typeName, "cases": cases,
            "exclusive": union.exclusive, "nested": nestedText,
        ]
        if let discriminator = union.discriminator {
            context["discriminator"] = SwiftNaming.literal(discriminator.propertyName)
        }
        return render("union", context)
    }

    /// Indents every non-empty line by four spaces (nested declarations).
    static func indent(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? "" : "    " + $0 }.joined(separator: "\n")
    }

    /// `#"..."#` (or a multi-line `#"""` literal) with enough hashes for the text.
    static func rawLiteral(_ text: String) -> String {
        // One more `#` than the longest run of `#` after a quote or backslash in the text.
        var longest = 0
        var run = -1
        var multiline = false
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): run = 0
            case UInt8(ascii: "#") where run >= 0: run += 1; longest = max(longest, run)
            default:
                if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") { multiline = true }
                run = -1
            }
        }
        let hashes = String(repeating: "#", count: longest + 1)
        if multiline {
            let body = text.hasSuffix("\n") ? String(text.dropLast()) : text
            return hashes + "\"\"\"\n" + body + "\n\"\"\"" + hashes
        }
        return hashes + "\"" + text + "\"" + hashes
    }
}
