import Yams

/// The places of a bundled OpenAPI document that lint rules look at: operations, the objects that
/// carry a schema and examples (parameters, headers, media types), and every schema. Objects are
/// visited where they are written; a `$ref` is not followed, its target is visited at its own place.
struct DocumentWalker {
    /// One operation of `paths`, `webhooks` or a callback.
    struct Operation {
        var node: Node
        var pointer: JSONPointer
        /// The path template (or webhook / callback expression).
        var path: String
        var method: String
        /// Whether it is under `paths` (not a webhook or callback).
        var isPath: Bool
    }

    /// A node and where it lives in the bundled document.
    struct Place {
        var node: Node
        var pointer: JSONPointer
    }

    let document: BundledDocument
    private(set) var operations: [Operation] = []
    /// Parameters, headers and media types: objects with a `schema` and `example`/`examples`.
    private(set) var exampleHolders: [Place] = []
    /// Every schema object, at any depth (a `$ref` schema is visited, its target is not followed).
    private(set) var schemas: [Place] = []

    init(_ document: BundledDocument) {
        self.document = document
        let root = document.root
        for (path, item) in root.child("paths")?.pairs ?? [] {
            pathItem(item, at: JSONPointer(["paths", path]), path: path, isPath: true)
        }
        for (name, item) in root.child("webhooks")?.pairs ?? [] {
            pathItem(item, at: JSONPointer(["webhooks", name]), path: name, isPath: false)
        }
        let components = root.child("components")
        let base = JSONPointer(["components"])
        for (name, node) in components?.child("schemas")?.pairs ?? [] {
            schema(node, at: base.appending("schemas").appending(name))
        }
        for kind in ["parameters", "headers"] {
            for (name, node) in components?.child(kind)?.pairs ?? [] {
                parameterLike(node, at: base.appending(kind).appending(name))
            }
        }
        for (name, node) in components?.child("requestBodies")?.pairs ?? [] {
            content(of: node, at: base.appending("requestBodies").appending(name))
        }
        for (name, node) in components?.child("responses")?.pairs ?? [] {
            response(node, at: base.appending("responses").appending(name))
        }
        for (name, node) in components?.child("pathItems")?.pairs ?? [] {
            pathItem(node, at: base.appending("pathItems").appending(name), path: name, isPath: false)
        }
        for (name, node) in components?.child("callbacks")?.pairs ?? [] {
            callback(node, at: base.appending("callbacks").appending(name))
        }
    }

    private mutating func pathItem(_ item: Node, at pointer: JSONPointer, path: String, isPath: Bool) {
        if item.child("$ref") != nil, isPath {
            // The item lives elsewhere; its operations still belong to this path.
            guard let target = item.child("$ref")?.string.map(JSONPointer.init(parsing:)), let resolved = document.node(at: target) else { return }
            for method in ContractTranslator.httpMethods {
                if let node = resolved.child(method) {
                    operations.append(Operation(node: node, pointer: target.appending(method), path: path, method: method, isPath: true))
                }
            }
            return
        }
        for (index, parameter) in (item.child("parameters")?.elements ?? []).enumerated() {
            parameterLike(parameter, at: pointer.appending("parameters").appending(index))
        }
        for method in ContractTranslator.httpMethods {
            guard let node = item.child(method) else { continue }
            let operationPointer = pointer.appending(method)
            operations.append(Operation(node: node, pointer: operationPointer, path: path, method: method, isPath: isPath))
            for (index, parameter) in (node.child("parameters")?.elements ?? []).enumerated() {
                parameterLike(parameter, at: operationPointer.appending("parameters").appending(index))
            }
            if let body = node.child("requestBody"), body.child("$ref") == nil {
                content(of: body, at: operationPointer.appending("requestBody"))
            }
            for (status, response) in node.child("responses")?.pairs ?? [] {
                self.response(response, at: operationPointer.appending("responses").appending(status))
            }
            for (name, node) in node.child("callbacks")?.pairs ?? [] {
                callback(node, at: operationPointer.appending("callbacks").appending(name))
            }
            if let eventSchema = node.child("x-event-schema") { schema(eventSchema, at: operationPointer.appending("x-event-schema")) }
        }
    }

    private mutating func callback(_ node: Node, at pointer: JSONPointer) {
        guard node.child("$ref") == nil else { return }
        for (expression, item) in node.pairs {
            pathItem(item, at: pointer.appending(expression), path: expression, isPath: false)
        }
    }

    private mutating func response(_ node: Node, at pointer: JSONPointer) {
        guard node.child("$ref") == nil else { return }
        for (name, header) in node.child("headers")?.pairs ?? [] {
            parameterLike(header, at: pointer.appending("headers").appending(name))
        }
        content(of: node, at: pointer)
    }

    private mutating func parameterLike(_ node: Node, at pointer: JSONPointer) {
        guard node.child("$ref") == nil else { return }
        exampleHolders.append(Place(node: node, pointer: pointer))
        if let schemaNode = node.child("schema") { schema(schemaNode, at: pointer.appending("schema")) }
        content(of: node, at: pointer)
    }

    private mutating func content(of node: Node, at pointer: JSONPointer) {
        guard node.child("$ref") == nil else { return }
        for (type, media) in node.child("content")?.pairs ?? [] {
            let mediaPointer = pointer.appending("content").appending(type)
            exampleHolders.append(Place(node: media, pointer: mediaPointer))
            if let schemaNode = media.child("schema") { schema(schemaNode, at: mediaPointer.appending("schema")) }
        }
    }

    private mutating func schema(_ node: Node, at pointer: JSONPointer) {
        guard node.isMapping else { return }
        schemas.append(Place(node: node, pointer: pointer))
        for (keyword, child) in node.pairs {
            switch keyword {
            case "items", "additionalProperties", "not", "if", "then", "else", "contains", "propertyNames",
                 "unevaluatedProperties", "unevaluatedItems", "additionalItems":
                schema(child, at: pointer.appending(keyword))
            case "allOf", "anyOf", "oneOf", "prefixItems":
                for (index, element) in child.elements.enumerated() { schema(element, at: pointer.appending(keyword).appending(index)) }
            case "properties", "patternProperties", "$defs", "definitions", "dependentSchemas":
                for (name, element) in child.pairs { schema(element, at: pointer.appending(keyword).appending(name)) }
            default:
                break
            }
        }
    }
}
