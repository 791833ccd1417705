/// The API conventions of `contracts/README.md` as lint rules, checked on the contract model:
/// idempotent POSTs, conditional updates, cursor pagination, closed request bodies, explicit
/// security, error responses in the envelope with catalog codes, and an error catalog whose every
/// entry speaks both languages and is used.
enum ConventionRules {
    static let descriptions = [
        "idempotency-key": "every state-changing POST requires an Idempotency-Key header (or names its key with x-idempotency-key)",
        "if-match": "every PUT and PATCH of a secured resource requires an If-Match header",
        "cursor-pagination": "a list (a GET with a cursor) takes limit and returns {items, nextCursor}",
        "closed-request-body": "JSON request bodies set additionalProperties: false",
        "catalog-languages": "every catalog entry has zh-CN and en messages",
        "catalog-used": "every catalog entry of scope response is declared by some operation (or answered by the runtime)",
        "security-explicit": "every operation declares security (its own or the document's), or `security: []` when public",
        "error-envelope": "every error response's JSON body is the error envelope {code, message, requestId} and names its x-error-codes",
        "declared-rejections": "an operation that takes parameters or a body declares 400 (they are validated), and one that takes a body declares 413 (bodies are capped) and 415 (their media types are checked)",
    ]

    static func check(_ loaded: ContractPipeline.Loaded) -> [Diagnostic] {
        let model = loaded.model
        let schemas = Dictionary(model.schemas.map { ($0.name, $0.schema) }, uniquingKeysWith: { first, _ in first })
        var diagnostics = DiagnosticCollector()
        for operation in model.operations {
            let where_ = "\(operation.method.uppercased()) \(operation.path)"
            let headers = Set(operation.parameters.filter { $0.location == .header && $0.required }.map { $0.name.lowercased() })
            if operation.method.lowercased() == "post", !headers.contains("idempotency-key"), operation.idempotencyKeyPointer == nil {
                diagnostics.error("\(where_) changes state but does not require Idempotency-Key", at: operation.location, rule: "idempotency-key")
            }
            if ["put", "patch"].contains(operation.method.lowercased()), !operation.security.isEmpty, !operation.security.contains(where: \.isEmpty), !headers.contains("if-match") {
                diagnostics.error("\(where_) updates a resource but does not require If-Match", at: operation.location, rule: "if-match")
            }
            if operation.method.lowercased() == "get", operation.parameters.contains(where: { $0.location == .query && $0.name == "cursor" }) {
                if !operation.parameters.contains(where: { $0.location == .query && $0.name == "limit" }) {
                    diagnostics.error("\(where_) pages with cursor but takes no limit", at: operation.location, rule: "cursor-pagination")
                }
                let page = operation.responses.first { $0.status == "200" }.flatMap { response -> SchemaModel? in
                    switch response.payload {
                    case .envelope(let data), .json(let data): TableBindingChecker.resolved(data, schemas)
                    default: nil
                    }
                }
                if requiredFields(page).map({ !$0.isSuperset(of: ["items", "nextCursor"]) }) ?? true {
                    diagnostics.error("\(where_) pages with cursor but its 200 body is not {items, nextCursor}", at: operation.location, rule: "cursor-pagination")
                }
            }
            let statuses = Set(operation.responses.map(\.status))
            let catchAll = !statuses.isDisjoint(with: ["4XX", "default"])
            if operation.parameters.contains(where: { Self.canBeRejected($0, schemas) }) || operation.requestBody != nil, !catchAll, !statuses.contains("400") {
                diagnostics.warning("\(where_) validates its request but declares no 400 response", at: operation.location, rule: "declared-rejections")
            }
            if operation.requestBody != nil, !catchAll {
                for (status, what) in [("413", "for one over the limit"), ("415", "for another Content-Type")] where !statuses.contains(status) {
                    diagnostics.warning("\(where_) takes a body but declares no \(status) response \(what)", at: operation.location, rule: "declared-rejections")
                }
            }
            if !operation.declaresSecurity {
                diagnostics.error("\(where_) declares no security; name its scheme, or write `security: []` if it is public", at: operation.location, rule: "security-explicit")
            }
            if model.errorCatalog.sourceFile != nil {
                for response in operation.responses where !response.isSuccess && (response.status.hasPrefix("4") || response.status.hasPrefix("5") || response.status == "default") {
                    errorEnvelope(response, of: where_, at: operation.location, schemas: schemas, into: &diagnostics)
                }
            }
            if let body = operation.requestBody, body.contentTypes.contains("application/json"), let schema = body.schema.map({ TableBindingChecker.resolved($0, schemas) }),
               case .object(let object) = schema.shape, object.additionalProperties != .forbidden {
                diagnostics.error("\(where_): the JSON request body does not set additionalProperties: false", at: schema.location ?? operation.location, rule: "closed-request-body")
            }
        }
        let used = Set(model.operations.flatMap(\.declaredErrorCodes))
        let runtime = Set(ErrorCatalogLoader.runtimeSlots.map(\.name))
        for entry in model.errorCatalog.entries where model.errorCatalog.sourceFile != nil {
            let missing = ["zh-CN", "en"].filter { entry.messages[$0] == nil }
            if !missing.isEmpty {
                diagnostics.error("catalog entry \(entry.code) has no \(missing.joined(separator: " or ")) message", at: entry.location, rule: "catalog-languages")
            }
            if entry.scope == .response, !used.contains(entry.code), !runtime.contains(entry.name) {
                diagnostics.warning("catalog entry \(entry.code) (\(entry.name)) is declared by no operation", at: entry.location, rule: "catalog-used")
            }
        }
        return diagnostics.diagnostics
    }

    /// The required properties of an object schema (nil when it is not an object).
    /// Whether some value of the parameter fails validation: a required query, header or cookie
    /// parameter (it can be missing), or one whose schema is more than an unconstrained string.
    private static func canBeRejected(_ parameter: ParameterModel, _ schemas: [String: SchemaModel]) -> Bool {
        if parameter.required, parameter.location != .path { return true }
        let schema = TableBindingChecker.resolved(parameter.schema, schemas)
        if case .string(.plain) = schema.shape { return !schema.constraints.isEmpty }
        return true
    }

    private static func requiredFields(_ schema: SchemaModel?) -> Set<String>? {
        guard case .object(let object) = schema?.shape else { return nil }
        return Set(object.properties.filter(\.required).map(\.name))
    }

    /// An error response carries the envelope and says which catalog codes it sends.
    private static func errorEnvelope(
        _ response: ResponseModel, of operation: String, at location: SourceLocation?, schemas: [String: SchemaModel], into diagnostics: inout DiagnosticCollector
    ) {
        if response.errorCodes.isEmpty {
            diagnostics.error("\(operation): the \(response.status) response names no x-error-codes", at: location, rule: "error-envelope")
        }
        let body: SchemaModel? = switch response.payload {
        case .json(let schema): TableBindingChecker.resolved(schema, schemas)
        default: nil
        }
        if !(requiredFields(body)?.isSuperset(of: ["code", "message", "requestId"]) ?? false) {
            diagnostics.error("\(operation): the \(response.status) response's body is not the error envelope {code, message, requestId}", at: location, rule: "error-envelope")
        }
    }
}
