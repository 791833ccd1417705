import Foundation

/// Builds the TypeScript client's IR from the language-neutral model: a type and a descriptor for
/// each named schema, each operation's method, input and answers, and the error catalog.
struct TypeScriptBuilder {
    let model: ContractModel
    /// Contract schema name → TypeScript type name.
    private let typeNames: [String: String]

    init(model: ContractModel) {
        self.model = model
        var names: [String: String] = [:]
        var taken: Set<String> = []
        for schema in model.schemas {
            var name = SwiftNaming.typeName(schema.name, avoidingReserved: false)
            while taken.contains(name) { name += "_" }
            taken.insert(name)
            names[schema.name] = name
        }
        typeNames = names
    }

    func module() -> TSClientModule {
        TSClientModule(
            title: TypeScriptNaming.commentText(model.title), version: TypeScriptNaming.commentText(model.version),
            schemas: model.schemas.map(namedSchema), operations: model.operations.map(operation), errors: errors())
    }

    // MARK: - Schemas

    private func namedSchema(_ named: NamedSchema) -> TSNamedSchema {
        var interface: [TSProperty]?
        if case .object(let object) = named.schema.shape, !named.schema.nullable { interface = properties(object) }
        return TSNamedSchema(
            name: typeNames[named.name] ?? named.name, docLines: SwiftNaming.docLines(named.schema.description),
            type: type(named.schema), descriptor: descriptor(named.schema), interfaceProperties: interface)
    }

    /// The type of `schema`; `qualified` names the named schemas as members of the `types` module
    /// (how client.d.ts imports types.d.ts).
    func type(_ schema: SchemaModel, qualified: Bool = false) -> TSType {
        let type = { (schema: SchemaModel) in self.type(schema, qualified: qualified) }
        let base: TSType = switch schema.shape {
        case .reference(let name): typeNames[name].map { .named(qualified ? TypeScriptNaming.typesModule + "." + $0 : $0) } ?? .unknown
        case .string: .string
        case .integer, .number: .number
        case .boolean: .boolean
        case .array(let items): .array(type(items))
        case .map(let values): .map(type(values))
        case .object(let object): .object(properties(object, qualified: qualified))
        case .stringEnum(let values): .literals(values.map(TypeScriptNaming.string))
        case .union(let union): .union(union.alternatives.map(type))
        case .any: .unknown
        }
        return schema.nullable ? .nullable(base) : base
    }

    private func properties(_ object: ObjectModel, qualified: Bool = false) -> [TSProperty] {
        object.properties.map { property in
            TSProperty(
                key: TypeScriptNaming.propertyKey(property.name), optional: !property.required, type: type(property.schema, qualified: qualified),
                docLines: SwiftNaming.docLines(property.schema.description))
        }
    }

    func descriptor(_ schema: SchemaModel) -> TSDescriptor {
        let constraints = schema.constraints
        var options = Options()
        let base: TSDescriptor
        switch schema.shape {
        case .reference(let name):
            base = .reference(typeNames[name] ?? name)
        case .string(let kind):
            options.add("format", Self.formats[kind].map { $0 as Any })
            options.add("minLength", constraints.minLength)
            options.add("maxLength", constraints.maxLength)
            options.add("pattern", constraints.pattern)
            base = .string(options.list)
        case .stringEnum(let values):
            options.add("enum", values)
            base = .string(options.list)
        case .integer(let width):
            options.add("bits", width == .int32 ? 32 : nil)
            addRange(constraints, to: &options)
            base = .integer(options.list)
        case .number:
            addRange(constraints, to: &options)
            base = .number(options.list)
        case .boolean:
            base = .boolean
        case .array(let items):
            options.add("minItems", constraints.minItems)
            options.add("maxItems", constraints.maxItems)
            options.add("uniqueItems", constraints.uniqueItems ? true : nil)
            base = .array(descriptor(items), options.list)
        case .map(let values):
            options.add("minProperties", constraints.minProperties)
            options.add("maxProperties", constraints.maxProperties)
            base = .map(descriptor(values), options.list)
        case .object(let object):
            var additional: TSDescriptor?
            switch object.additionalProperties {
            case .allowed: break
            case .forbidden: options.add("closed", true)
            case .typed(let values): additional = descriptor(values)
            }
            options.add("minProperties", constraints.minProperties)
            options.add("maxProperties", constraints.maxProperties)
            if !object.rules.isEmpty {
                options.add("rules", object.rules.map { rule in
                    [
                        "kind": rule.kind.rawValue,
                        "conditions": rule.conditions.map { condition in
                            [
                                "present": condition.present,
                                "values": Dictionary(uniqueKeysWithValues: condition.values.map { ($0.name, Self.json($0.value)) }),
                                "summary": condition.summary,
                            ] as [String: Any]
                        },
                    ] as [String: Any]
                })
            }
            let described = object.properties.map { property in
                TSDescribedProperty(key: TypeScriptNaming.string(property.name), required: property.required, descriptor: descriptor(property.schema))
            }
            base = .object(described, additional: additional, options.list)
        case .union(let union):
            options.add("exclusive", union.exclusive ? true : nil)
            if let discriminator = union.discriminator {
                options.add("discriminator", discriminator.propertyName)
                var mapping: [String: Int] = [:]
                for (value, schemaName) in discriminator.mapping {
                    if let index = union.alternatives.firstIndex(where: { $0.shape == .reference(schemaName) }) { mapping[value] = index }
                }
                options.add("mapping", mapping)
            }
            base = .union(union.alternatives.map(descriptor), options.list)
        case .any:
            base = .any
        }
        return schema.nullable ? .nullable(base) : base
    }

    private func addRange(_ constraints: Constraints, to options: inout Options) {
        options.add("minimum", constraints.minimum)
        options.add("exclusiveMinimum", constraints.exclusiveMinimum)
        options.add("maximum", constraints.maximum)
        options.add("exclusiveMaximum", constraints.exclusiveMaximum)
        options.add("multipleOf", constraints.multipleOf)
        options.add("allowed", constraints.allowedNumbers)
    }

    /// The formats the runtime checks, by the name the server's reasons use.
    private static let formats: [SchemaModel.StringKind: String] = [
        .uuid: "uuid", .dateTime: "date-time", .email: "email", .uri: "uri", .date: "date", .hostname: "hostname",
        .ipv4: "ipv4", .ipv6: "ipv6", .byte: "byte",
    ]

    private static func json(_ value: LiteralValue) -> Any {
        switch value {
        case .null: NSNull()
        case .bool(let flag): flag
        case .integer(let integer): integer
        case .number(let number): number
        case .string(let text): text
        case .array(let values): values.map(json)
        case .object(let members): members.mapValues(json)
        }
    }

    /// A descriptor's options in the order they were added, each value as JSON.
    private struct Options {
        var list: [TSOption] = []

        mutating func add(_ name: String, _ value: Any?) {
            guard let value else { return }
            list.append(TSOption(name: name, json: TypeScriptNaming.json(value)))
        }
    }

    // MARK: - Operations

    private func operation(_ operation: OperationModel) -> TSOperation {
        var taken: Set<String> = ["body", "contentType"]
        let parameters = operation.parameters.filter { $0.location != .cookie }.map { parameter in
            var name = TypeScriptNaming.memberName(parameter.name)
            while taken.contains(name) { name += "Parameter" }
            taken.insert(name)
            return TSParameter(
                name: name, key: TypeScriptNaming.string(parameter.name), location: parameter.location.rawValue, required: parameter.required,
                type: type(parameter.schema, qualified: true), descriptor: descriptor(parameter.schema), docLines: SwiftNaming.docLines(parameter.description))
        }
        let body = operation.requestBody.map { body in
            body.isForm
                ? TSBody(
                    required: body.required, raw: true, form: true, contentType: TypeScriptNaming.string("multipart/form-data"),
                    type: .formData, descriptor: nil)
                : body.isRaw || body.schema == nil
                ? TSBody(
                    required: body.required, raw: true, contentType: TypeScriptNaming.string(body.contentTypes.first ?? "application/octet-stream"),
                    type: .bytes, descriptor: nil)
                : TSBody(
                    required: body.required, raw: false, contentType: TypeScriptNaming.string("application/json"),
                    type: type(body.schema!, qualified: true), descriptor: descriptor(body.schema!))
        }
        var responses: [TSResponse] = []
        for response in operation.responses where response.isSuccess {
            let status = Int(response.status) ?? 200
            switch response.payload {
            case .none:
                responses.append(TSResponse(status: status, reading: "none", type: .none, descriptor: nil))
            case .envelope(let data) where SchemaTranslator.isNullOnly(data):
                responses.append(TSResponse(status: status, reading: "none", type: .none, descriptor: nil))
            case .envelope(let data):
                responses.append(TSResponse(status: status, reading: "envelope", type: type(data, qualified: true), descriptor: descriptor(data)))
            case .json(let data):
                responses.append(TSResponse(status: status, reading: "json", type: type(data, qualified: true), descriptor: descriptor(data)))
            case .raw:
                responses.append(TSResponse(status: status, reading: "raw", type: .blob, descriptor: nil))
            }
        }
        var doc = SwiftNaming.docLines(operation.summary)
        doc += (doc.isEmpty ? [] : [""]) + ["`\(operation.method) \(operation.path)`"]
        let codes = operation.declaredErrorCodes.filter { model.errorCatalog.entry(code: $0) != nil }
        if !codes.isEmpty { doc.append("Declared errors: " + codes.map(String.init).joined(separator: ", ") + ".") }
        return TSOperation(
            methodName: TypeScriptNaming.memberName(operation.operationID),
            typeName: SwiftNaming.typeName(operation.operationID, avoidingReserved: false),
            operationID: TypeScriptNaming.string(operation.operationID), httpMethod: TypeScriptNaming.string(operation.method),
            path: TypeScriptNaming.string(operation.path), docLines: doc, deprecated: operation.deprecated,
            sendsCredentials: operation.security.contains { !$0.isEmpty }, parameters: parameters, body: body, responses: responses,
            errorCodes: codes, eventType: operation.eventSchema.map { type($0, qualified: true) }, eventDescriptor: operation.eventSchema.map(descriptor))
    }

    // MARK: - Errors

    private func errors() -> [TSErrorEntry] {
        model.errorCatalog.entries.map { entry in
            TSErrorEntry(
                code: entry.code, name: TypeScriptNaming.string(entry.name), httpStatus: entry.httpStatus,
                messages: entry.messages.keys.sorted().map { TSMessage(language: TypeScriptNaming.string($0), text: TypeScriptNaming.string(entry.messages[$0]!)) })
        }
    }
}
