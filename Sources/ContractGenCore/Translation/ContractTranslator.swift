import Yams

/// Builds the language-neutral `ContractModel` from a bundled document and an error catalog.
///
/// Operations the generator cannot serve (a request media type other than JSON, a missing
/// path) are skipped with a warning that says why; nothing is dropped silently.
public struct ContractTranslator {
    public static let httpMethods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]

    private let document: BundledDocument
    private var schemas: SchemaTranslator
    private var diagnostics = DiagnosticCollector()

    public init(document: BundledDocument) {
        self.document = document
        self.schemas = SchemaTranslator(document: document)
    }

    public mutating func translate(errorCatalog: ErrorCatalog) -> (ContractModel, [Diagnostic]) {
        let root = document.root
        let info = root.child("info")
        var named: [NamedSchema] = []
        var stateMachines = StateMachineTranslator(document: document)
        for name in schemas.componentNames {
            guard let node = schemas.componentNode(name) else { continue }
            let pointer = JSONPointer(["components", "schemas", name])
            let schema = schemas.translate(node, at: pointer)
            named.append(NamedSchema(
                name: name, schema: schema, sourceFile: document.sourceMap.file(of: pointer),
                stateMachine: stateMachines.translate(name, schema: schema, node: node)))
        }
        let namedByName = Dictionary(named.map { ($0.name, $0.schema) }, uniquingKeysWith: { a, _ in a })

        var operations: [OperationModel] = []
        var seenIDs: [String: SourceLocation] = [:]
        let rootSecurity = security(root.child("security"))
        for (path, item) in root.child("paths")?.pairs ?? [] {
            let itemPointer = JSONPointer(["paths", path])
            let pathParameters = item.child("parameters")?.elements ?? []
            for method in Self.httpMethods {
                guard let operationNode = item.child(method) else { continue }
                let pointer = itemPointer.appending(method)
                guard var operation = translateOperation(
                    operationNode, method: method, path: path, pointer: pointer, inherited: pathParameters,
                    inheritedPointer: itemPointer.appending("parameters"), rootSecurity: rootSecurity, schemas: namedByName)
                else { continue }
                if let previous = seenIDs[operation.operationID] {
                    diagnostics.error("operationId '\(operation.operationID)' is already used at \(previous)", at: operation.location, rule: "operation-id-unique")
                    operation.operationID += "_\(method)"
                }
                seenIDs[operation.operationID] = operation.location
                operations.append(operation)
            }
        }
        operations.sort { $0.operationID < $1.operationID }

        var schemesModel: [SecuritySchemeModel] = []
        for (name, node) in root.child("components")?.child("securitySchemes")?.pairs ?? [] {
            let location = document.location(of: JSONPointer(["components", "securitySchemes", name]))
            let description = node.child("description")?.string
            switch node.child("type")?.string {
            case "http":
                let scheme = node.child("scheme")?.string?.lowercased()
                if scheme == "bearer" {
                    schemesModel.append(SecuritySchemeModel(
                        name: name, kind: .bearer(format: node.child("bearerFormat")?.string), description: description,
                        principal: principal(of: node, scheme: name)))
                } else if scheme == "basic" {
                    schemesModel.append(SecuritySchemeModel(name: name, kind: .basic, description: description))
                } else {
                    diagnostics.warning("http scheme '\(scheme ?? "")' is not supported; operations using it get no credential", at: location, rule: "unsupported")
                }
            case "apiKey":
                schemesModel.append(SecuritySchemeModel(
                    name: name, kind: .apiKey(location: node.child("in")?.string ?? "header", name: node.child("name")?.string ?? name), description: description))
            case "oauth2", "openIdConnect":
                schemesModel.append(SecuritySchemeModel(name: name, kind: .oauth2, description: description))
            default:
                diagnostics.warning("security scheme type '\(node.child("type")?.string ?? "")' is not supported", at: location, rule: "unsupported")
            }
        }
        let known = Set(schemesModel.map(\.name))
        for index in operations.indices {
            operations[index].security = operations[index].security.filter { alternative in
                alternative.allSatisfy { use in
                    if known.contains(use.scheme) { return true }
                    diagnostics.error("security scheme '\(use.scheme)' is not defined in components/securitySchemes", at: operations[index].location, rule: "security-defined")
                    return false
                }
            }
        }

        var tags: [(name: String, description: String?)] = []
        for tag in root.child("tags")?.elements ?? [] {
            if let name = tag.child("name")?.string { tags.append((name, tag.child("description")?.string)) }
        }
        for operation in operations where !tags.contains(where: { $0.name == operation.tag }) {
            tags.append((operation.tag, nil))
        }

        let model = ContractModel(
            title: info?.child("title")?.string ?? "API",
            version: info?.child("version")?.string ?? "0",
            description: info?.child("description")?.string,
            rootFile: document.rootFile,
            schemas: named,
            operations: operations,
            tags: tags,
            securitySchemes: schemesModel,
            errorCatalog: errorCatalog,
            bundledJSON: { [document] in document.json })
        return (model, schemas.diagnostics.diagnostics + stateMachines.diagnostics.diagnostics + diagnostics.diagnostics)
    }

    // MARK: - Security

    /// `x-principal` of the security scheme `name`: `subject` and `claims` (by name), each a string
    /// schema, `format: uuid` or none. Anything else is an error (`x-principal`) and no typed principal.
    private mutating func principal(of node: Node, scheme name: String) -> PrincipalModel? {
        guard let declaration = node.child("x-principal") else { return nil }
        let pointer = JSONPointer(["components", "securitySchemes", name, "x-principal"])
        func field(_ fieldName: String, _ schema: Node?, at pointer: JSONPointer) -> PrincipalModel.Field? {
            guard let schema, schema.isMapping, schema.child("type")?.string ?? "string" == "string",
                  [nil, "uuid"].contains(schema.child("format")?.string)
            else {
                diagnostics.error(
                    "x-principal: \(fieldName) must be a string schema ({type: string} or {type: string, format: uuid})",
                    at: document.location(of: pointer), rule: "x-principal")
                return nil
            }
            return PrincipalModel.Field(name: fieldName, isUUID: schema.child("format")?.string == "uuid", description: schema.child("description")?.string)
        }
        guard let subject = field("subject", declaration.child("subject"), at: pointer.appending("subject")) else { return nil }
        var claims: [PrincipalModel.Field] = []
        for (claim, schema) in declaration.child("claims")?.pairs ?? [] {
            guard let field = field(claim, schema, at: pointer.appending("claims").appending(claim)) else { return nil }
            claims.append(field)
        }
        return PrincipalModel(subject: subject, claims: claims)
    }

    // MARK: - Operations

    private mutating func translateOperation(
        _ node: Node, method: String, path: String, pointer: JSONPointer, inherited: [Node], inheritedPointer: JSONPointer,
        rootSecurity: [[SecurityUse]], schemas named: [String: SchemaModel]
    ) -> OperationModel? {
        let location = document.location(of: pointer)
        var operationID = node.child("operationId")?.string ?? ""
        if operationID.isEmpty {
            operationID = Self.derivedOperationID(method: method, path: path)
            diagnostics.warning("operation has no operationId; using '\(operationID)'", at: location, rule: "operation-id")
        }

        var parameters: [ParameterModel] = []
        var parameterSources: [(Node, JSONPointer)] = inherited.enumerated().map { ($1, inheritedPointer.appending($0)) }
        for (index, parameter) in (node.child("parameters")?.elements ?? []).enumerated() {
            parameterSources.append((parameter, pointer.appending("parameters").appending(index)))
        }
        for (rawNode, rawPointer) in parameterSources {
            guard let (parameterNode, parameterPointer) = resolve(rawNode, at: rawPointer, kind: "parameters") else { continue }
            guard let name = parameterNode.child("name")?.string, let locationName = parameterNode.child("in")?.string,
                  let parameterLocation = ParameterModel.Location(rawValue: locationName)
            else {
                diagnostics.warning("parameter without a supported 'name' and 'in' is skipped", at: document.location(of: parameterPointer), rule: "parameter-shape")
                continue
            }
            let schemaNode = parameterNode.child("schema")
                ?? parameterNode.child("content")?.pairs.first?.value.child("schema")
            let schema = schemaNode.map { schemas.translate($0, at: parameterPointer.appending("schema")) } ?? SchemaModel(.string(.plain))
            let model = ParameterModel(
                name: name, location: parameterLocation,
                required: parameterLocation == .path || (parameterNode.child("required")?.boolValue ?? false),
                description: parameterNode.child("description")?.string, schema: schema,
                deprecated: parameterNode.child("deprecated")?.boolValue ?? false)
            // An operation's parameter replaces the path item's one of the same name and place.
            parameters.removeAll { $0.name == name && $0.location == parameterLocation }
            parameters.append(model)
        }
        for token in Self.pathTemplateNames(path) where !parameters.contains(where: { $0.location == .path && $0.name == token }) {
            diagnostics.error("path parameter '{\(token)}' of '\(path)' is not declared", at: location, rule: "path-params")
            return nil
        }
        if let cookie = parameters.first(where: { $0.location == .cookie }) {
            diagnostics.warning("cookie parameter '\(cookie.name)' is not supported and is ignored", at: location, rule: "unsupported")
            parameters.removeAll { $0.location == .cookie }
        }

        var requestBody: RequestBodyModel?
        if let rawBody = node.child("requestBody"), let (bodyNode, bodyPointer) = resolve(rawBody, at: pointer.appending("requestBody"), kind: "requestBodies") {
            let content = bodyNode.child("content")?.pairs ?? []
            let json = content.first { Self.isJSON($0.key) }
            let multipart = content.first { $0.key.lowercased() == "multipart/form-data" }
            let urlEncoded = content.first { $0.key.lowercased() == "application/x-www-form-urlencoded" }
            if json == nil, multipart == nil, let urlEncoded {
                diagnostics.warning("request media type \(urlEncoded.key) is not supported (JSON, multipart/form-data or raw bytes); operation '\(operationID)' is skipped", at: document.location(of: bodyPointer), rule: "unsupported")
                return nil
            }
            let required = bodyNode.child("required")?.boolValue ?? false
            let description = bodyNode.child("description")?.string
            if json == nil, let multipart {
                let schemaPointer = bodyPointer.appending("content").appending(multipart.key).appending("schema")
                let schema = multipart.value.child("schema").map { schemas.translate($0, at: schemaPointer) } ?? SchemaModel(.any)
                guard Self.formObject(schema, schemas: named) != nil else {
                    diagnostics.warning("a multipart/form-data body must be an object schema (its properties are the form's fields); operation '\(operationID)' is skipped", at: document.location(of: schemaPointer), rule: "unsupported")
                    return nil
                }
                requestBody = RequestBodyModel(
                    required: required, description: description, contentTypes: [multipart.key], schema: schema, isForm: true)
            } else if let json {
                let schema = json.value.child("schema").map {
                    schemas.translate($0, at: bodyPointer.appending("content").appending(json.key).appending("schema"))
                } ?? SchemaModel(.any)
                requestBody = RequestBodyModel(
                    required: required, description: description, contentTypes: content.map(\.key).filter(Self.isJSON), schema: schema,
                    keepsBytes: bodyNode.child("x-raw-bytes")?.boolValue == true)
            } else if content.isEmpty {
                diagnostics.error("request body of '\(operationID)' declares no media type", at: document.location(of: bodyPointer), rule: "request-body-content")
                return nil
            } else {
                // Uploads: the handler gets the bytes and their declared media type.
                requestBody = RequestBodyModel(required: required, description: description, contentTypes: content.map(\.key), schema: nil, isRaw: true)
            }
        }

        var responses: [ResponseModel] = []
        for (status, rawResponse) in node.child("responses")?.pairs ?? [] {
            guard let (responseNode, responsePointer) = resolve(rawResponse, at: pointer.appending("responses").appending(status), kind: "responses") else { continue }
            let content = responseNode.child("content")?.pairs ?? []
            var payload = ResponseModel.Payload.none
            if let json = content.first(where: { Self.isJSON($0.key) }) {
                let schema = json.value.child("schema").map {
                    schemas.translate($0, at: responsePointer.appending("content").appending(json.key).appending("schema"))
                } ?? SchemaModel(.any)
                payload = Self.envelopeData(of: schema, schemas: named).map { .envelope(data: $0) } ?? .json(schema)
            } else if !content.isEmpty {
                payload = .raw(contentTypes: content.map(\.key))
            }
            let codes = responseNode.child("x-error-codes")?.elements.compactMap(\.intValue) ?? []
            responses.append(ResponseModel(status: status, description: responseNode.child("description")?.string ?? "", payload: payload, errorCodes: codes))
        }
        if !responses.contains(where: \.isSuccess) {
            diagnostics.warning("operation '\(operationID)' declares no 2xx response", at: location, rule: "operation-2xx")
        }

        let tags = node.child("tags")?.elements.compactMap(\.string) ?? []
        let roles = node.child("x-roles")?.elements.compactMap(\.string) ?? []
        let operationSecurity = node.child("security").map { security($0) } ?? rootSecurity
        var operation = OperationModel(
            operationID: operationID, method: method.uppercased(), path: path, summary: node.child("summary")?.string,
            description: node.child("description")?.string, tag: tags.first ?? "default",
            deprecated: node.child("deprecated")?.boolValue ?? false, parameters: parameters, requestBody: requestBody,
            responses: responses, security: operationSecurity, roles: roles, location: location,
            sourceFile: document.sourceMap.file(of: pointer))
        operation.declaresSecurity = node.child("security") != nil || document.root.child("security") != nil
        operation.idempotencyKeyPointer = node.child("x-idempotency-key")?.string
        operation.eventSchema = node.child("x-event-schema").map { schemas.translate($0, at: pointer.appending("x-event-schema")) }
        return operation
    }

    /// The object schema a form body's fields come from (following references to components).
    static func formObject(_ schema: SchemaModel, schemas named: [String: SchemaModel]) -> ObjectModel? {
        var current = schema
        for _ in 0..<16 {
            switch current.shape {
            case .object(let object): return object
            case .reference(let name):
                guard let target = named[name] else { return nil }
                current = target
            default: return nil
            }
        }
        return nil
    }

    /// Follows a local `$ref` to `components/<kind>`.
    private mutating func resolve(_ node: Node, at pointer: JSONPointer, kind: String) -> (Node, JSONPointer)? {
        var current = node
        var currentPointer = pointer
        var hops = 0
        while let ref = current.child("$ref")?.string {
            hops += 1
            let target = JSONPointer(parsing: ref)
            guard hops < 16, let resolved = document.node(at: target) else {
                diagnostics.error("$ref '\(ref)' does not resolve", at: document.location(of: currentPointer), rule: "ref-resolves")
                return nil
            }
            current = resolved
            currentPointer = target
        }
        return (current, currentPointer)
    }

    private func security(_ node: Node?) -> [[SecurityUse]] {
        guard let node else { return [] }
        return node.elements.map { requirement in
            requirement.pairs.map { SecurityUse(scheme: $0.key, scopes: $0.value.elements.compactMap(\.string)) }
        }
    }

    /// The `data` schema if `schema` is the success envelope `{code, message, requestId, data}`.
    static func envelopeData(of schema: SchemaModel, schemas: [String: SchemaModel]) -> SchemaModel? {
        var current = schema
        var hops = 0
        while case .reference(let name) = current.shape, let target = schemas[name], hops < 16 {
            current = target
            hops += 1
        }
        guard case .object(let object) = current.shape else { return nil }
        let names = Set(object.properties.map(\.name))
        guard names == ["code", "message", "requestId", "data"] else { return nil }
        return object.properties.first { $0.name == "data" }?.schema
    }

    static func isJSON(_ mediaType: String) -> Bool {
        let base = mediaType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        return base == "application/json" || base.hasSuffix("+json")
    }

    static func pathTemplateNames(_ path: String) -> [String] {
        var names: [String] = []
        var current: String?
        for character in path {
            if character == "{" { current = "" } else if character == "}", let name = current {
                names.append(name)
                current = nil
            } else if current != nil {
                current?.append(character)
            }
        }
        return names
    }

    static func derivedOperationID(method: String, path: String) -> String {
        let words = path.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map { $0.prefix(1).uppercased() + $0.dropFirst() }
        return method.lowercased() + words.joined()
    }
}

import Foundation
