/// Builds the Swift IR of operations: the per-operation namespace (descriptor, input,
/// output, declared failures, decoding), the handler protocols per tag and the routes.
struct OperationBuilder {
    let model: ContractModel
    let mapper: SwiftTypeMapper
    let access: String
    let declarations: DeclarationBuilder
    var diagnostics = DiagnosticCollector()

    static func namespace(_ operation: OperationModel) -> String { SwiftNaming.typeName(operation.operationID) }
    static func method(_ operation: OperationModel) -> String { SwiftNaming.memberName(operation.operationID) }
    static func protocolName(_ tag: String) -> String {
        let base = SwiftNaming.typeName(tag)
        return (base.hasSuffix("Model") ? String(base.dropLast(5)) : base) + "API"
    }

    mutating func operationNamespace(_ operation: OperationModel) -> OperationDeclaration {
        var nested: [NestedDeclaration] = []
        var patterns: [String] = []
        var inputProperties: [OperationDeclaration.InputProperty] = []
        var parameters: [OperationDecoding.Parameter] = []
        var checkBlocks: [ValueCheckBlock] = []
        let secured = !operation.security.isEmpty && !operation.security.contains { $0.isEmpty }
        // Anonymous callers allowed, and a credential checked when one is sent.
        let optionallySecured = operation.security.contains { $0.isEmpty } && operation.security.contains { !$0.isEmpty }

        let principalType = typedPrincipal(of: operation)
        if secured {
            inputProperties.append(.init(
                docLines: ["The authenticated caller."], name: "principal", local: "principal", type: .named(principalType ?? "Principal")))
        } else if optionallySecured {
            inputProperties.append(.init(
                docLines: ["The caller, when a credential was sent (anonymous callers are allowed)."], name: "principal", local: "principal",
                type: .optional(.named(principalType ?? "Principal"))))
        }
        for planned in planParameters(operation, taken: ["body", "principal"], scaffolding: ["parts", "issues", "before"], nested: &nested, patterns: &patterns) {
            parameters.append(planned.decoding)
            if let checks = planned.checks { checkBlocks.append(checks) }
            inputProperties.append(.init(docLines: planned.docLines, name: planned.name, local: planned.decoding.local, type: planned.type))
        }

        var contentTypes: [String] = []
        var body: OperationDecoding.Body?
        if let requestBody = operation.requestBody {
            contentTypes = requestBody.contentTypes
            let schema = requestBody.schema ?? SchemaModel(.any)
            let type: SwiftType = requestBody.isRaw
                ? .named("RawRequestBody")
                : requestBody.isForm ? mapper.formType(schema, nested: &nested) : mapper.swiftType(schema, suggestedName: "Body", nested: &nested)
            body = OperationDecoding.Body(
                raw: requestBody.isRaw, form: requestBody.isForm, type: type, required: requestBody.required, keepsBytes: requestBody.keepsBytes)
            inputProperties.append(.init(
                docLines: SwiftNaming.docLines(requestBody.description ?? "The request body."), name: "body", local: "body",
                type: requestBody.required ? type : .optional(type)))
            if requestBody.keepsBytes {
                inputProperties.append(.init(
                    docLines: ["The body's bytes exactly as they arrived (`x-raw-bytes`), for checking a signature over them."],
                    name: "rawBody", local: "rawBody", type: requestBody.required ? .named("RawRequestBody") : .optional(.named("RawRequestBody"))))
            }
        }

        // Outputs: every declared 2xx response.
        var outputCases: [OperationOutputCase] = []
        for response in operation.responses where response.isSuccess {
            let status = Int(response.status) ?? 200
            let caseName = Self.caseName(status: status)
            var output = OperationOutputCase(
                name: caseName, status: status, docLines: SwiftNaming.docLines(response.description), payload: nil, answer: .empty,
                envelope: false, nullable: false, contentTypes: [])
            switch response.payload {
            case .none:
                break
            case .envelope(let data) where SchemaTranslator.isNullOnly(data):
                output.answer = .nullEnvelope
            case .envelope(let data), .json(let data):
                if case .envelope = response.payload { output.envelope = true }
                let type = mapper.swiftType(data, suggestedName: caseName.prefix(1).uppercased() + caseName.dropFirst() + "Body", nested: &nested)
                output.payload = data.nullable ? .optional(type) : type
                output.nullable = data.nullable
                output.answer = mapper.isContractType(data) && !data.nullable ? .validatedJSON : .json
            case .raw(let types):
                // Several media types: the handler says which one it sends; the runtime refuses others.
                output.payload = .named(types.count == 1 ? "ResponseBody" : "RawContent")
                output.answer = types.count == 1 ? .raw : .rawChoice
                output.contentTypes = types.map(SwiftNaming.literal)
            }
            outputCases.append(output)
        }
        if outputCases.isEmpty {
            outputCases.append(OperationOutputCase(
                name: "ok", status: 200, docLines: ["The contract declares no success response."], payload: nil, answer: .empty,
                envelope: false, nullable: false, contentTypes: []))
        }

        // Failures: every catalog code the operation's responses declare.
        var failures: [DeclaredFailure] = []
        for code in operation.declaredErrorCodes {
            // The analysis reports unknown codes (`error-codes-known`) and nothing is rendered then.
            guard let entry = model.errorCatalog.entry(code: code) else { continue }
            failures.append(DeclaredFailure(
                name: SwiftNaming.memberName(entry.name), caseName: SwiftNaming.memberName(entry.name), code: entry.code,
                docLines: ["\(entry.code) \(entry.name) (HTTP \(entry.httpStatus))" + (entry.usage.map { ": \($0)" } ?? "")],
                takesDetails: entry.carriesDetails))
        }

        let security = operation.security.map { alternative in
            OperationDeclaration.SecurityAlternative(uses: alternative.map { use in
                let known = model.securitySchemes.contains { $0.name == use.scheme }
                return .init(scheme: SwiftNaming.memberName(use.scheme), scopes: known ? use.scopes.map(SwiftNaming.literal) : [])
            })
        }

        var doc = SwiftNaming.docLines(operation.summary)
        if let description = operation.description {
            doc += (doc.isEmpty ? [] : [""]) + SwiftNaming.docLines(description)
        }
        doc += (doc.isEmpty ? [] : [""]) + ["`\(operation.method) \(operation.path)`"]
        return OperationDeclaration(
            docLines: doc, access: access, name: Self.namespace(operation), operationID: SwiftNaming.literal(operation.operationID),
            method: SwiftNaming.literal(operation.method), path: SwiftNaming.literal(operation.path), security: security,
            roles: operation.roles.map(SwiftNaming.literal), contentTypes: contentTypes.map(SwiftNaming.literal),
            bodyRequired: operation.requestBody?.required ?? false, bodyIsRaw: operation.requestBody.map { $0.isRaw || $0.isForm } ?? false,
            patterns: patterns.enumerated().map { PatternConstant(index: $0.offset, literal: SwiftLiteral.raw($0.element)) },
            inputProperties: inputProperties,
            decoding: OperationDecoding(
                readsPrincipal: secured || optionallySecured, requiresPrincipal: secured, typedPrincipal: principalType, parameters: parameters, body: body),
            checkBlocks: checkBlocks, outputCases: outputCases, failures: failures, nested: declarations.declarations(nested))
    }

    /// A parameter as Swift passes it: its name, the local it is read into, how it is decoded,
    /// the checks of its value and the type it is stored or passed as.
    struct PlannedParameter {
        var name: String
        var decoding: OperationDecoding.Parameter
        var checks: ValueCheckBlock?
        var docLines: [String]
        /// Optional unless it is required or has a default.
        var type: SwiftType
    }

    /// Plans the operation's parameters: names unique among themselves and `taken`, locals renamed
    /// away from the generated code's own `scaffolding` names.
    mutating func planParameters(
        _ operation: OperationModel, taken: Set<String>, scaffolding: Set<String>, nested: inout [NestedDeclaration], patterns: inout [String]
    ) -> [PlannedParameter] {
        var used = taken
        var planned: [PlannedParameter] = []
        for parameter in operation.parameters {
            var name = SwiftNaming.memberName(parameter.name)
            while used.contains(name) { name += parameter.location.rawValue.prefix(1).uppercased() + parameter.location.rawValue.dropFirst() }
            used.insert(name)
            var local = name
            if scaffolding.contains(name) {
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
                type = .named("String")
                elementSchema = SchemaModel(.string(.plain))
            }
            let source: OperationDecoding.Parameter.Source = switch (parameter.location, isArray) {
            case (.path, _): .path
            case (.query, true): .queryArray
            case (.query, false): .query
            default: .header
            }
            let defaultLiteral = parameter.required ? nil : parameter.schema.defaultValue.flatMap { mapper.defaultLiteral($0, for: parameter.schema) }
            let decoding = OperationDecoding.Parameter(
                source: source, local: local, key: SwiftNaming.literal(parameter.name), type: type, required: parameter.required,
                expectation: SwiftNaming.literal(mapper.expectation(elementSchema)), defaultLiteral: defaultLiteral ?? "")
            let path = JSONPathExpression(fromRoot: true, segments: [SwiftNaming.literal(parameter.location.rawValue), decoding.key])
            let bare = local.trimmingCharacters(in: ["`"])
            let checks = mapper.checkStatements(parameter.schema, value: "\(bare)Value", path: path, patterns: &patterns)
            var doc = SwiftNaming.docLines(parameter.description)
            doc.append("`\(parameter.name)` (\(parameter.location.rawValue)\(parameter.required ? ", required" : ""))")
            let passedType: SwiftType = isArray ? .array(type) : type
            planned.append(PlannedParameter(
                name: name, decoding: decoding,
                checks: checks.isEmpty ? nil : ValueCheckBlock(
                    binding: defaultLiteral == nil ? .optional : .present, local: "\(bare)Value", source: local, throughSelf: false, statements: checks),
                docLines: doc, type: decoding.guarded || defaultLiteral != nil ? passedType : .optional(passedType)))
        }
        return planned
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

    static func isParameterType(_ type: SwiftType, schema: SchemaModel, mapper: SwiftTypeMapper) -> Bool {
        if case .named(let name) = type, ["String", "Int", "Int32", "Int64", "Double", "Bool", "UUID", "Date"].contains(name) { return true }
        switch mapper.effective(schema).shape {
        case .stringEnum, .integer, .number, .boolean: return true
        // A named string is a typealias of String (or of UUID / Date for those formats).
        case .string: return true
        case .reference(let name): return mapper.namedKind(name) == .stringEnum
        default: return false
        }
    }

    // MARK: - Handlers and routes

    /// The handler protocol of every tag that has operations.
    func handlers() -> [HandlerProtocol] {
        let tags = model.tags.filter { tag in model.operations.contains { $0.tag == tag.name } }
        return tags.map { tag in
            HandlerProtocol(
                name: Self.protocolName(tag.name),
                docLines: SwiftNaming.docLines(tag.description.map { "Operations tagged `\(tag.name)`: \($0)" } ?? "Operations tagged `\(tag.name)`."),
                operations: model.operations.filter { $0.tag == tag.name }.map { operation in
                    HandlerProtocol.Operation(
                        docLines: SwiftNaming.docLines(operation.summary) + ["`\(operation.method) \(operation.path)`"],
                        name: Self.method(operation), namespace: Self.namespace(operation),
                        path: SwiftNaming.literal(operation.path), method: SwiftNaming.literal(operation.method))
                })
        }
    }

    /// The contract's security schemes.
    func securitySchemes() -> [ContractDeclaration.Scheme] {
        model.securitySchemes.map { scheme in
            var declaration = ContractDeclaration.Scheme(
                name: SwiftNaming.memberName(scheme.name), schemeName: SwiftNaming.literal(scheme.name),
                docLines: SwiftNaming.docLines(scheme.description ?? "The `\(scheme.name)` security scheme."), kind: .basic)
            switch scheme.kind {
            case .bearer(let format):
                declaration.kind = .bearer
                declaration.bearerFormat = format.map(SwiftNaming.literal) ?? "nil"
            case .basic:
                declaration.kind = .basic
            case .apiKey(let location, let name):
                declaration.kind = .apiKey
                declaration.keyLocation = ["query", "cookie"].contains(location) ? location : "header"
                declaration.keyName = SwiftNaming.literal(name)
            case .oauth2:
                declaration.kind = .oauth2
            }
            declaration.principal = scheme.principal.map { principal in
                ContractDeclaration.Scheme.PrincipalShape(
                    subjectFormat: principal.subject.isUUID ? "uuid" : "text",
                    claims: principal.claims.map { (SwiftNaming.literal($0.name), $0.isUUID ? "uuid" : "text") })
            }
            return declaration
        }
    }

    /// The typed principal of each scheme that declares `x-principal`.
    func principals() -> [PrincipalDeclaration] {
        model.securitySchemes.compactMap { scheme in
            scheme.principal.map { principal in
                var used: Set<String> = ["roles", "untyped", "subject"]
                let claims = principal.claims.map { claim in
                    var member = SwiftNaming.memberName(claim.name)
                    while used.contains(member) { member += "_" }
                    used.insert(member)
                    return PrincipalDeclaration.Field(
                        member: member, key: SwiftNaming.literal(claim.name), isUUID: claim.isUUID,
                        docLines: SwiftNaming.docLines(claim.description ?? "The `\(claim.name)` claim."))
                }
                return PrincipalDeclaration(
                    access: access, name: Self.principalTypeName(scheme.name), scheme: scheme.name,
                    subject: .init(member: "subject", key: nil, isUUID: principal.subject.isUUID,
                                   docLines: SwiftNaming.docLines(principal.subject.description ?? "Who is calling.")),
                    claims: claims)
            }
        }
    }

    /// `bearerAuth` → `BearerAuthPrincipal`.
    static func principalTypeName(_ scheme: String) -> String {
        SwiftNaming.typeName(scheme) + "Principal"
    }

    /// The typed principal an operation's handler receives: the scheme's when every way in is that
    /// one scheme and it declares `x-principal`; nil for the runtime's untyped `Principal`.
    func typedPrincipal(of operation: OperationModel) -> String? {
        let alternatives = operation.security.filter { !$0.isEmpty }
        guard let first = alternatives.first, first.count == 1,
              alternatives.allSatisfy({ $0.count == 1 && $0[0].scheme == first[0].scheme }),
              model.securitySchemes.contains(where: { $0.name == first[0].scheme && $0.principal != nil })
        else { return nil }
        return Self.principalTypeName(first[0].scheme)
    }
}
