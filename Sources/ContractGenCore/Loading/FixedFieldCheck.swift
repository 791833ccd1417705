import Yams

/// `unknown-field`, part of the structure check: every key of an OpenAPI object is one of its
/// fixed fields or an `x-` extension, so a misspelt field (`operationID`, `requried`) is reported
/// at the key instead of being ignored. Unlike OpenAPIKit, which stops at the first problem, every
/// such key is reported. Schemas are JSON Schema (any keyword is allowed) and are not checked
/// here; a `$ref` object may carry anything beside the reference. The fields are the union of
/// OpenAPI 3.0 and 3.1.
enum FixedFieldCheck {
    /// The OpenAPI objects whose fields are checked, and what each field holds.
    private indirect enum Kind: Sendable {
        case document, info, contact, license, server, serverVariable, components, pathItem, operation
        case externalDocs, parameter, requestBody, mediaType, encoding, responses, response, callback
        case example, link, header, tag, securityScheme, oauthFlows, oauthFlow
        /// A value checked as `Kind`, or a map or list of them.
        case map(Kind), list(Kind)
        /// A value whose inside is not an OpenAPI object (a schema, a string, free-form data).
        case opaque

        /// The fixed fields of each object kind, built once.
        static let tables: [String: [String: Kind]] = Dictionary(uniqueKeysWithValues: [
            Kind.document, .info, .contact, .license, .server, .serverVariable, .components, .pathItem, .operation,
            .externalDocs, .parameter, .requestBody, .mediaType, .encoding, .response, .example, .link, .header, .tag,
            .securityScheme, .oauthFlows, .oauthFlow,
        ].map { ($0.name, $0.declaredFields) })

        var fields: [String: Kind] { Self.tables[name] ?? [:] }

        private var declaredFields: [String: Kind] {
            switch self {
            case .document:
                ["openapi": .opaque, "info": .info, "jsonSchemaDialect": .opaque, "servers": .list(.server), "paths": .map(.pathItem),
                 "webhooks": .map(.pathItem), "components": .components, "security": .opaque, "tags": .list(.tag), "externalDocs": .externalDocs]
            case .info:
                ["title": .opaque, "summary": .opaque, "description": .opaque, "termsOfService": .opaque, "contact": .contact,
                 "license": .license, "version": .opaque]
            case .contact: ["name": .opaque, "url": .opaque, "email": .opaque]
            case .license: ["name": .opaque, "identifier": .opaque, "url": .opaque]
            case .server: ["url": .opaque, "description": .opaque, "variables": .map(.serverVariable)]
            case .serverVariable: ["enum": .opaque, "default": .opaque, "description": .opaque]
            case .components:
                ["schemas": .opaque, "responses": .map(.response), "parameters": .map(.parameter), "examples": .map(.example),
                 "requestBodies": .map(.requestBody), "headers": .map(.header), "securitySchemes": .map(.securityScheme),
                 "links": .map(.link), "callbacks": .map(.callback), "pathItems": .map(.pathItem)]
            case .pathItem:
                ContractTranslator.httpMethods.reduce(into: ["$ref": .opaque, "summary": .opaque, "description": .opaque,
                                                             "servers": .list(.server), "parameters": .list(.parameter)]) { $0[$1] = .operation }
            case .operation:
                ["tags": .opaque, "summary": .opaque, "description": .opaque, "externalDocs": .externalDocs, "operationId": .opaque,
                 "parameters": .list(.parameter), "requestBody": .requestBody, "responses": .responses, "callbacks": .map(.callback),
                 "deprecated": .opaque, "security": .opaque, "servers": .list(.server)]
            case .externalDocs: ["description": .opaque, "url": .opaque]
            case .parameter, .header:
                ["name": .opaque, "in": .opaque, "description": .opaque, "required": .opaque, "deprecated": .opaque,
                 "allowEmptyValue": .opaque, "style": .opaque, "explode": .opaque, "allowReserved": .opaque, "schema": .opaque,
                 "example": .opaque, "examples": .map(.example), "content": .map(.mediaType)]
                    .filter { isParameter || ($0.key != "name" && $0.key != "in") }
            case .requestBody: ["description": .opaque, "content": .map(.mediaType), "required": .opaque]
            case .mediaType: ["schema": .opaque, "example": .opaque, "examples": .map(.example), "encoding": .map(.encoding)]
            case .encoding:
                ["contentType": .opaque, "headers": .map(.header), "style": .opaque, "explode": .opaque, "allowReserved": .opaque]
            case .response: ["description": .opaque, "headers": .map(.header), "content": .map(.mediaType), "links": .map(.link)]
            case .example: ["summary": .opaque, "description": .opaque, "value": .opaque, "externalValue": .opaque]
            case .link:
                ["operationRef": .opaque, "operationId": .opaque, "parameters": .opaque, "requestBody": .opaque,
                 "description": .opaque, "server": .server]
            case .tag: ["name": .opaque, "description": .opaque, "externalDocs": .externalDocs]
            case .securityScheme:
                ["type": .opaque, "description": .opaque, "name": .opaque, "in": .opaque, "scheme": .opaque,
                 "bearerFormat": .opaque, "flows": .oauthFlows, "openIdConnectUrl": .opaque]
            case .oauthFlows:
                ["implicit": .oauthFlow, "password": .oauthFlow, "clientCredentials": .oauthFlow, "authorizationCode": .oauthFlow]
            case .oauthFlow: ["authorizationUrl": .opaque, "tokenUrl": .opaque, "refreshUrl": .opaque, "scopes": .opaque]
            case .responses, .callback, .map, .list, .opaque: [:]
            }
        }

        var name: String {
            switch self {
            case .serverVariable: "server variable"
            case .pathItem: "path item"
            case .externalDocs: "external documentation"
            case .requestBody: "request body"
            case .mediaType: "media type"
            case .securityScheme: "security scheme"
            case .oauthFlows: "OAuth flows"
            case .oauthFlow: "OAuth flow"
            default: "\(self)"
            }
        }

        private var isParameter: Bool {
            if case .parameter = self { return true }
            return false
        }

        var isPathItem: Bool {
            if case .pathItem = self { return true }
            return false
        }
    }

    static func check(_ document: BundledDocument, severity: Diagnostic.Severity) -> [Diagnostic] {
        var diagnostics = DiagnosticCollector()
        visit(document.root, as: .document, at: .root, document, into: &diagnostics)
        return diagnostics.diagnostics.map { var diagnostic = $0; diagnostic.severity = severity; return diagnostic }
    }

    private static func visit(_ node: Node, as kind: Kind, at pointer: JSONPointer, _ document: BundledDocument,
                              into diagnostics: inout DiagnosticCollector) {
        switch kind {
        case .opaque:
            return
        case .map(let element):
            for (key, value) in node.pairs where !key.hasPrefix("x-") {
                visit(value, as: element, at: pointer.appending(key), document, into: &diagnostics)
            }
        case .list(let element):
            for (index, value) in node.elements.enumerated() {
                visit(value, as: element, at: pointer.appending(index), document, into: &diagnostics)
            }
        case .responses:
            for (key, value) in keyedPairs(node) where !key.text.hasPrefix("x-") {
                if key.text == "default" || isStatus(key.text) {
                    visit(value, as: .response, at: pointer.appending(key.text), document, into: &diagnostics)
                } else {
                    diagnostics.error("'\(key.text)' is not a status code (100–599, 1XX–5XX or default) in responses",
                                      at: document.location(of: pointer.appending(key.text), node: key.node), rule: "unknown-field")
                }
            }
        case .callback:
            visit(node, as: .map(.pathItem), at: pointer, document, into: &diagnostics)
        default:
            guard node.child("$ref") == nil || kind.isPathItem else { return }
            let fields = kind.fields
            for (key, value) in keyedPairs(node) where !key.text.hasPrefix("x-") {
                guard let field = fields[key.text] else {
                    diagnostics.error("'\(key.text)' is not a field of \(article(kind.name)) \(kind.name) object (extensions start with x-)",
                                      at: document.location(of: pointer.appending(key.text), node: key.node), rule: "unknown-field")
                    continue
                }
                visit(value, as: field, at: pointer.appending(key.text), document, into: &diagnostics)
            }
        }
    }

    /// The mapping's pairs with the key node itself, for its position.
    private static func keyedPairs(_ node: Node) -> [(key: (text: String, node: Node), value: Node)] {
        guard case .mapping(let mapping) = node else { return [] }
        return mapping.indices.compactMap { index in
            let pair = mapping[index]
            guard case .scalar(let key) = pair.key else { return nil }
            return ((key.string, pair.key), pair.value)
        }
    }

    private static func isStatus(_ key: String) -> Bool {
        let characters = Array(key)
        guard characters.count == 3, let first = characters[0].wholeNumberValue, (1...5).contains(first) else { return false }
        return characters.dropFirst().allSatisfy(\.isNumber) || characters.dropFirst().allSatisfy { $0 == "X" || $0 == "x" }
    }

    private static func article(_ noun: String) -> String {
        "aeiouAEIOU".contains(noun.first ?? "x") ? "an" : "a"
    }
}
