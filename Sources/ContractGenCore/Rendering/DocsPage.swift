/// The view model of the `/docs` HTML reference: operations by tag, schemas, error codes.
struct DocsPage {
    let model: ContractModel

    func html(renderer: TemplateRenderer) -> String {
        let tags: [[String: Any]] = model.tags.compactMap { tag in
            let operations = model.operations.filter { $0.tag == tag.name }
            guard !operations.isEmpty else { return nil }
            return [
                "name": tag.name, "description": tag.description ?? "",
                "operations": operations.map { operation -> [String: Any] in
                    [
                        "operationID": operation.operationID, "method": operation.method, "path": operation.path,
                        "summary": operation.summary ?? "", "description": operation.description ?? "",
                        "public": operation.security.isEmpty || operation.security.contains { $0.isEmpty }, "roles": operation.roles,
                        "hasParameters": !operation.parameters.isEmpty,
                        "parameters": operation.parameters.map {
                            ["name": $0.name, "location": $0.location.rawValue, "required": $0.required ? "yes" : "no", "description": $0.description ?? ""]
                        },
                        "responses": operation.responses.map {
                            ["status": $0.status, "description": $0.description, "codes": $0.errorCodes.map(String.init).joined(separator: ", ")]
                        },
                    ]
                },
            ]
        }
        let schemas: [[String: Any]] = model.schemas.map { schema in
            var properties: [[String: Any]] = []
            if case .object(let object) = schema.schema.shape {
                properties = object.properties.map { ["name": $0.name, "required": $0.required ? "yes" : "no", "description": $0.schema.description ?? ""] }
            }
            // An `x-state-machine`: one row per state it leaves, its moves and who may make them.
            let moves: [[String: Any]] = schema.stateMachine.map { machine in
                machine.states.compactMap { state in
                    let leaving = machine.moves.filter { $0.from == state }
                    guard !leaving.isEmpty else { return nil }
                    return ["from": state, "moves": leaving.map { ["to": $0.to, "by": $0.by.joined(separator: ", ")] }]
                }
            } ?? []
            return [
                "name": schema.name, "description": schema.schema.description ?? "", "properties": properties, "hasProperties": !properties.isEmpty,
                "statesLeft": moves, "hasMoves": !moves.isEmpty, "initial": schema.stateMachine?.initial.joined(separator: ", ") ?? "",
                "final": schema.stateMachine?.finalStates.joined(separator: ", ") ?? "",
            ]
        }
        let errors: [[String: Any]] = model.errorCatalog.entries.map {
            ["code": $0.code, "name": $0.name, "http": $0.httpStatus, "message": $0.messages["en"] ?? "", "usage": $0.usage ?? ""]
        }
        return renderer.render("docs.html", [
            "title": model.title, "version": model.version, "description": model.description ?? "",
            "tags": tags, "schemas": schemas, "errors": errors,
        ]) + "\n"
    }
}
