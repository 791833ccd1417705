/// Builds the Swift IR of a generated client's operations: for each one the client method (labelled
/// parameters, body, checks before sending, the request) and its `ClientOperations` namespace.
struct ClientBuilder {
    let model: ContractModel
    let mapper: SwiftTypeMapper
    let access: String
    let declarations: DeclarationBuilder
    var operations: OperationBuilder

    init(model: ContractModel, mapper: SwiftTypeMapper, access: String, declarations: DeclarationBuilder) {
        self.model = model
        self.mapper = mapper
        self.access = access
        self.declarations = declarations
        self.operations = OperationBuilder(model: model, mapper: mapper, access: access, declarations: declarations)
    }

    /// Names the client method uses for its own locals: parameters called so are renamed inside it.
    static let scaffolding: Set<String> = ["request", "response", "issues", "core"]

    mutating func operation(_ operation: OperationModel) -> ClientOperationDeclaration {
        var nested: [NestedDeclaration] = []
        var patterns: [String] = []
        var parameters: [ClientOperationDeclaration.Parameter] = []
        var checkBlocks: [ValueCheckBlock] = []
        let namespace = OperationBuilder.namespace(operation)

        for planned in operations.planParameters(operation, taken: ["body", "contentType"], scaffolding: Self.scaffolding, nested: &nested, patterns: &patterns) {
            let kind: ClientOperationDeclaration.Parameter.Kind = switch planned.decoding.source {
            case .path: .path
            case .query: .query
            case .queryArray: .queryArray
            case .header: .header
            }
            parameters.append(.init(
                label: planned.name, local: planned.decoding.local, type: planned.type, kind: kind, key: planned.decoding.key,
                defaultLiteral: planned.decoding.defaultLiteral,
                resumes: operation.eventSchema != nil && kind == .header && planned.decoding.key.lowercased() == "\"last-event-id\""))
            if var checks = planned.checks {
                // A parameter is optional here only when the caller may leave it out.
                checks.binding = planned.type.isOptional ? .optional : .present
                checkBlocks.append(checks)
            }
        }

        var contentTypeLocal = ""
        if let body = operation.requestBody {
            if body.isRaw {
                let bytes = SwiftType.array(.named("UInt8"))
                parameters.append(.init(label: "body", local: "body", type: body.required ? bytes : .optional(bytes), kind: .rawBody, key: "", defaultLiteral: ""))
                contentTypeLocal = "contentType"
                parameters.append(.init(
                    label: "contentType", local: "contentType", type: .named("String"), kind: .contentType, key: "",
                    defaultLiteral: SwiftNaming.literal(body.contentTypes.first ?? "application/octet-stream")))
            } else if body.isForm {
                // The form checks its fields itself when the service reads it; files are not JSON to check here.
                let type = mapper.formType(body.schema ?? SchemaModel(.any), nested: &nested)
                parameters.append(.init(label: "body", local: "body", type: body.required ? type : .optional(type), kind: .formBody, key: "", defaultLiteral: ""))
            } else {
                let schema = body.schema ?? SchemaModel(.any)
                let type = mapper.swiftType(schema, suggestedName: "Body", nested: &nested)
                parameters.append(.init(label: "body", local: "body", type: body.required ? type : .optional(type), kind: .jsonBody, key: "", defaultLiteral: ""))
                let path = JSONPathExpression(fromRoot: true, segments: [SwiftNaming.literal("body")])
                let statements = mapper.checkStatements(schema, value: "bodyValue", path: path, patterns: &patterns)
                    + mapper.nestedValidation(schema, value: "bodyValue", path: path)
                if !statements.isEmpty {
                    checkBlocks.append(ValueCheckBlock(
                        binding: body.required ? .present : .optional, local: "bodyValue", source: "body", throughSelf: false, statements: statements))
                }
            }
        }

        var responses: [ClientResponseCase] = []
        for response in operation.responses where response.isSuccess {
            let status = Int(response.status) ?? 200
            let name = OperationBuilder.caseName(status: status)
            var answer = ClientResponseCase(
                name: name, status: status, docLines: SwiftNaming.docLines(response.description), payload: nil, reading: .empty, envelope: false)
            switch response.payload {
            case .none:
                break
            case .envelope(let data) where SchemaTranslator.isNullOnly(data):
                break
            case .envelope(let data), .json(let data):
                if case .envelope = response.payload { answer.envelope = true }
                let type = mapper.swiftType(data, suggestedName: name.prefix(1).uppercased() + name.dropFirst() + "Body", nested: &nested)
                answer.payload = data.nullable ? .optional(type) : type
                answer.reading = data.nullable ? .nullableJSON : .json
            case .raw:
                answer.payload = .named("ClientBody")
                answer.reading = .raw
            }
            responses.append(answer)
        }

        var failures: [DeclaredFailure] = []
        for code in operation.declaredErrorCodes {
            guard let entry = model.errorCatalog.entry(code: code) else { continue }
            failures.append(DeclaredFailure(
                name: SwiftNaming.memberName(entry.name), caseName: SwiftNaming.memberName(entry.name), code: entry.code,
                docLines: ["\(entry.code) \(entry.name) (HTTP \(entry.httpStatus))"], takesDetails: entry.carriesDetails))
        }

        let eventType = operation.eventSchema.map { mapper.swiftType($0, suggestedName: "Event", nested: &nested) }

        // Inline types are declared in the operation's namespace; the method outside it names them in full.
        let nestedNames = Set(nested.map(\.name))
        let qualified = parameters.map { parameter in
            var parameter = parameter
            parameter.type = parameter.type.qualifying(nestedNames, in: "ClientOperations." + namespace)
            return parameter
        }

        let qualifiedResponses = responses.map { response in
            var response = response
            response.payload = response.payload?.qualifying(nestedNames, in: "ClientOperations." + namespace)
            return response
        }

        var doc = SwiftNaming.docLines(operation.summary)
        doc += (doc.isEmpty ? [] : [""]) + ["`\(operation.method) \(operation.path)`"]
        if operation.deprecated { doc.append("- Note: Deprecated.") }
        return ClientOperationDeclaration(
            docLines: doc, access: access, method: OperationBuilder.method(operation), namespace: namespace,
            operationID: SwiftNaming.literal(operation.operationID), httpMethod: SwiftNaming.literal(operation.method),
            path: SwiftNaming.literal(operation.path), sendsCredentials: operation.security.contains { !$0.isEmpty },
            parameters: qualified, contentTypeLocal: contentTypeLocal, checkBlocks: checkBlocks,
            patterns: patterns.enumerated().map { PatternConstant(index: $0.offset, literal: SwiftLiteral.raw($0.element)) },
            responses: qualifiedResponses, failures: failures, nested: declarations.declarations(nested),
            eventType: eventType?.qualifying(nestedNames, in: "ClientOperations." + namespace))
    }
}
