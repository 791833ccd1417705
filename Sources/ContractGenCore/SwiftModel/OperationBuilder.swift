/// Builds the Swift view model of operations: the per-operation namespace (descriptor, input,
/// output, declared failures, decoding), the handler protocols per tag and the routes.
struct OperationBuilder {
    let model: ContractModel
    let mapper: SwiftTypeMapper
    let access: String
    let render: (String, [String: Any]) -> String
    let declarations: DeclarationBuilder
    var diagnostics = DiagnosticCollector()

    static func namespace(_ operation: OperationModel) -> String { SwiftNaming.typeName(operation.operationID) }
    static func method(_ operation: OperationModel) -> String { SwiftNaming.memberName(operation.operationID) }
    static func protocolName(_ tag: String) -> String {
        let base = SwiftNaming.typeName(tag)
        return (base.hasSuffix("Model") ? String(base.dropLast(5)) : base) + "API"
    }

    mutating func operationNamespace(_ operation: OperationModel) -> String {
        var nested: [NestedDeclaration] = []
        var patterns: [String] = []
        var inputProperties: [[String: Any]] = []
        var decodeLines: [String] = []
        var checkLines: [String] = []
        var guardNames: [String] = []
        var used: Set<String> = ["body", "principal"]
        let secured = !operation.security.isEmpty && !operation.security.contains { $0.isEmpty }
        // Anonymous callers allowed, and a credential checked when one is sent.
        let optionallySecured = operation.security.contains { $0.isEmpty } && operation.security.contains { !$0.isEmpty }

        if secured {
            inputProperties.append(["docLines": ["/// The authenticated caller."], "name": "principal", "type": "Principal"])
            decodeLines.append("let principal = parts.principal")
            guardNames.append("principal")
        } else if optionallySecured {
            inputProperties.append(["docLines": ["/// The caller, when a credential was sent (anonymous callers are allowed)."], "name": "principal", "type": "Principal?"])
            decodeLines.append("let principal = parts.principal")
        }
        for parameter in operation.parameters {
            var name = SwiftNaming.memberName(parameter.name)
            while used.contains(name) { name += parameter.location.rawValue.prefix(1).uppercased() + parameter.location.rawValue.dropFirst() }
            used.insert(name)
            // `decode` names its own locals `parts`, `issues` and `before`; a parameter called so is read into another local.
            var local = name
            if ["parts", "issues", "before"].contains(name) {
                local = name + "Parameter"
                while used.contains(local) { local += "_" }
                used.insert(local)
            }
            let effective = mapper.effective(parameter.schema)
            var isArray = false
            var elementSchema = parameter.schema
            if case .array(let items) = effective.shape, parameter.location == .query {
                isArray = true
                elementSchema = items
            }
            var type = mapper.swiftType(elementSchema, suggestedName: parameter.name, nested: &nested)
            if !Self.isParameterType(type, schema: elementSchema, mapper: mapper) {
                diagnostics.warning("parameter '\(parameter.name)' of \(operation.operationID) has a type that cannot travel in a \(parameter.location.rawValue); it is read as a string", at: operation.location, rule: "unsupported")
                type = "String"
                elementSchema = SchemaModel(.string(.plain))
            }
            let key = SwiftNaming.literal(parameter.name)
            let expectation = SwiftNaming.literal(mapper.expectation(elementSchema))
            let call: String
            switch (parameter.location, isArray) {
            case (.path, _):
                call = "parts.path(\(key), as: \(type).self, expectation: \(expectation), issues: &issues)"
            case (.query, true):
                call = "parts.queryArray(\(key), as: \(type).self, required: \(parameter.required), expectation: \(expectation), issues: &issues)"
            case (.query, false):
                call = "parts.query(\(key), as: \(type).self, required: \(parameter.required), expectation: \(expectation), issues: &issues)"
            default:
                call = "parts.header(\(key), as: \(type).self, required: \(parameter.required), expectation: \(expectation), issues: &issues)"
            }
            let fullType = isArray ? "[\(type)]" : type
            let defaultLiteral = parameter.required ? nil : parameter.schema.defaultValue.flatMap { mapper.defaultLiteral($0, for: parameter.schema) }
            var propertyType = fullType
            if let defaultLiteral {
                decodeLines.append("let \(local) = \(call) ?? \(defaultLiteral)")
            } else {
                decodeLines.append("let \(local) = \(call)")
                if parameter.required { guardNames.append(local) } else { propertyType += "?" }
            }
            let path = "JSONPath.root.appending(\(SwiftNaming.literal(parameter.location.rawValue))).appending(\(key))"
            let bare = local.trimmingCharacters(in: ["`"])
            let checks = mapper.checkStatements(parameter.schema, value: "\(bare)Value", path: path, patterns: &patterns)
            if !checks.isEmpty {
                checkLines.append(defaultLiteral == nil ? "if let \(bare)Value = \(local) {" : "do {\n    let \(bare)Value = \(local)")
                checkLines += checks.map { "    " + $0 }
                checkLines.append("}")
            }
            var doc = SwiftNaming.docLines(parameter.description)
            doc.append("/// `\(parameter.name)` (\(parameter.location.rawValue)\(parameter.required ? ", required" : ""))")
            inputProperties.append(["docLines": doc, "name": name, "local": local, "type": propertyType])
        }

        var contentTypes: [String] = []
        if let body = operation.requestBody {
            contentTypes = body.contentTypes
            let type: String
            if body.isRaw {
                type = "RawRequestBody"
                decodeLines.append("let body = parts.rawBody(required: \(body.required), issues: &issues)")
            } else {
                type = mapper.swiftType(body.schema ?? SchemaModel(.any), suggestedName: "Body", nested: &nested)
                decodeLines.append("let body = parts.body(\(type).self, required: \(body.required), issues: &issues)")
            }
            if body.required { guardNames.append("body") }
            inputProperties.append([
                "docLines": SwiftNaming.docLines(body.description ?? "The request body."), "name": "body",
                "type": body.required ? type : type + "?",
            ])
            if body.keepsBytes {
                decodeLines.append("let rawBody = parts.rawBody(required: \(body.required), issues: &issues)")
                if body.required { guardNames.append("rawBody") }
                inputProperties.append([
                    "docLines": ["/// The body's bytes exactly as they arrived (`x-raw-bytes`), for checking a signature over them."],
                    "name": "rawBody", "type": body.required ? "RawRequestBody" : "RawRequestBody?",
                ])
            }
        }

        // Outputs: every declared 2xx response.
        var outputCases: [[String: Any]] = []
        for response in operation.responses where response.isSuccess {
            let status = Int(response.status) ?? 200
            let caseName = Self.caseName(status: status)
            var context: [String: Any] = ["name": caseName, "status": status, "docLines": SwiftNaming.docLines(response.description)]
            switch response.payload {
            case .none:
                context["responseExpression"] = "OperationResponse(status: \(status), body: .empty)"
            case .envelope(let data) where SchemaTranslator.isNullOnly(data):
                context["responseExpression"] = "OperationResponse(status: \(status), body: .envelope(data: .null))"
            case .envelope(let data), .json(let data):
                let isEnvelope: Bool
                if case .envelope = response.payload { isEnvelope = true } else { isEnvelope = false }
                var type = mapper.swiftType(data, suggestedName: caseName.prefix(1).uppercased() + caseName.dropFirst() + "Body", nested: &nested)
                if data.nullable { type += "?" }
                context["payload"] = type
                let value = data.nullable ? "value ?? JSONValue.null" : "value"
                if mapper.isContractType(data), !data.nullable {
                    context["responseExpression"] = "OperationResponse.json(status: \(status), value, envelope: \(isEnvelope), validate: validate)"
                } else {
                    context["responseExpression"] = "OperationResponse.json(status: \(status), \(value), envelope: \(isEnvelope))"
                }
            case .raw(let contentTypes) where contentTypes.count == 1:
                context["payload"] = "ResponseBody"
                context["responseExpression"] = "OperationResponse(status: \(status), body: .raw(contentType: \(SwiftNaming.literal(contentTypes[0])), body: value))"
            case .raw(let contentTypes):
                // Several media types: the handler says which one it sends; the runtime refuses others.
                context["payload"] = "RawContent"
                let declared = "[" + contentTypes.map(SwiftNaming.literal).joined(separator: ", ") + "]"
                context["responseExpression"] = "OperationResponse.raw(status: \(status), value, declared: \(declared))"
            }
            context["hasPayload"] = context["payload"] != nil
            outputCases.append(context)
        }
        if outputCases.isEmpty {
            outputCases.append(["name": "ok", "status": 200, "docLines": ["/// The contract declares no success response."], "hasPayload": false,
                                "responseExpression": "OperationResponse(status: 200, body: .empty)"])
        }

        // Failures: every catalog code the operation's responses declare.
        var failures: [[String: Any]] = []
        for code in operation.declaredErrorCodes {
            // The analysis reports unknown codes (`error-codes-known`) and nothing is rendered then.
            guard let entry = model.errorCatalog.entry(code: code) else { continue }
            failures.append([
                "name": SwiftNaming.memberName(entry.name), "code": entry.code, "caseName": SwiftNaming.memberName(entry.name),
                "docLines": ["/// \(entry.code) \(entry.name) (HTTP \(entry.httpStatus))" + (entry.usage.map { ": \($0)" } ?? "")],
                "takesDetails": entry.carriesDetails,
            ])
        }

        let securityLiteral = "[" + operation.security.map { alternative in
            "[" + alternative.map { use in
                let scheme = model.securitySchemes.first { $0.name == use.scheme }
                return "Security.\(SwiftNaming.memberName(use.scheme))" + (use.scopes.isEmpty || scheme == nil ? "" : ".scoped(\(use.scopes.map(SwiftNaming.literal)))")
            }.joined(separator: ", ") + "]"
        }.joined(separator: ", ") + "]"

        var doc = SwiftNaming.docLines(operation.summary)
        if let description = operation.description {
            doc += (doc.isEmpty ? [] : ["///"]) + SwiftNaming.docLines(description)
        }
        doc += (doc.isEmpty ? [] : ["///"]) + ["/// `\(operation.method) \(operation.path)`"]
        let nestedText = nested.map { DeclarationBuilder.indent(declarations.declaration(typeName: $0.name, schema: $0.schema)) }
        return render("operation", [
            "docLines": doc, "access": access, "name": Self.namespace(operation), "operationID": SwiftNaming.literal(operation.operationID),
            "method": SwiftNaming.literal(operation.method), "path": SwiftNaming.literal(operation.path), "security": securityLiteral,
            "roles": "[" + operation.roles.map(SwiftNaming.literal).joined(separator: ", ") + "]",
            "contentTypes": "[" + contentTypes.map(SwiftNaming.literal).joined(separator: ", ") + "]",
            "bodyRequired": operation.requestBody?.required ?? false,
            "bodyIsRaw": operation.requestBody?.isRaw ?? false,
            "inputProperties": inputProperties,
            "inputParameters": inputProperties.map { "\($0["name"]!): \($0["type"]!)" }.joined(separator: ", "),
            "inputAssignments": inputProperties.map { "self.\($0["name"]!) = \($0["name"]!)" },
            "inputArguments": inputProperties.map { "\($0["name"]!): \($0["local"] ?? $0["name"]!)" }.joined(separator: ", "),
            "decodeLines": decodeLines, "checkLines": checkLines.flatMap { $0.components(separatedBy: "\n") },
            "guardClause": (["issues.count == before"] + guardNames.map { "let \($0)" }).joined(separator: ", "),
            "patterns": patterns.enumerated().map { ["index": $0.offset, "literal": DeclarationBuilder.rawLiteral($0.element)] },
            "outputCases": outputCases, "failures": failures, "nested": nestedText,
        ])
    }

    static func caseName(status: Int) -> String {
        switch status {
        case 200: "ok"
        case 201: "created"
        case 202: "accepted"
        case 203: "nonAuthoritativeInformation"
        case 204: "noContent"
        case 205: "resetContent"
        case 206: "partialContent"
        default: "status\(status)"
        }
    }

    static func isParameterType(_ type: String, schema: SchemaModel, mapper: SwiftTypeMapper) -> Bool {
        if ["String", "Int", "Int32", "Int64", "Double", "Bool", "UUID", "Date"].contains(type) { return true }
        switch mapper.effective(schema).shape {
        case .stringEnum, .integer, .number, .boolean: return true
        // A named string is a typealias of String (or of UUID / Date for those formats).
        case .string: return true
        case .reference(let name): return mapper.namedKind(name) == .stringEnum
        default: return false
        }
    }

    // MARK: - Handlers and routes

    func handlers() -> String {
        let tags = model.tags.filter { tag in model.operations.contains { $0.tag == tag.name } }
        let protocols: [[String: Any]] = tags.map { tag in
            let operations = model.operations.filter { $0.tag == tag.name }
            return [
                "name": Self.protocolName(tag.name),
                "docLines": SwiftNaming.docLines(tag.description.map { "Operations tagged `\(tag.name)`: \($0)" } ?? "Operations tagged `\(tag.name)`."),
                "methods": operations.map { operation in
                    [
                        "docLines": SwiftNaming.docLines(operation.summary) + ["/// `\(operation.method) \(operation.path)`"],
                        "name": Self.method(operation), "namespace": Self.namespace(operation),
                    ] as [String: Any]
                },
                "routes": operations.map { operation in
                    [
                        "path": SwiftNaming.literal(operation.path), "method": SwiftNaming.literal(operation.method),
                        "name": Self.method(operation), "namespace": Self.namespace(operation),
                    ] as [String: Any]
                },
            ]
        }
        return render("handlers", ["access": access, "protocols": protocols])
    }

    func securityDeclarations() -> [[String: Any]] {
        model.securitySchemes.map { scheme in
            let kind: String
            switch scheme.kind {
            case .bearer(let format): kind = ".bearer(format: \(format.map(SwiftNaming.literal) ?? "nil"))"
            case .basic: kind = ".basic"
            case .apiKey(let location, let name): kind = ".apiKey(location: .\(location == "query" ? "query" : location == "cookie" ? "cookie" : "header"), name: \(SwiftNaming.literal(name)))"
            case .oauth2: kind = ".oauth2"
            }
            return [
                "name": SwiftNaming.memberName(scheme.name), "schemeName": SwiftNaming.literal(scheme.name), "kind": kind,
                "docLines": SwiftNaming.docLines(scheme.description ?? "The `\(scheme.name)` security scheme."),
            ]
        }
    }
}
