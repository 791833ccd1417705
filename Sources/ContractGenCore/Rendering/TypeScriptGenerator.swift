/// Renders the TypeScript client (`--emit typescript`): ES modules with their type declarations,
/// each file from the template of the same name in `templates/typescript/`.
public struct TypeScriptGenerator {
    /// The files written, in order: the runtime (transport, session, retries, events, validation),
    /// the schemas' types and descriptors, the error catalog, the client, and an index re-exporting them.
    public static let fileNames = [
        "runtime.js", "runtime.d.ts", "types.d.ts", "schemas.js", "schemas.d.ts", "errors.js", "errors.d.ts",
        "client.js", "client.d.ts", "index.js", "index.d.ts",
    ]

    let model: ContractModel
    let renderer: TemplateRenderer

    public init(model: ContractModel, renderer: TemplateRenderer) {
        self.model = model
        self.renderer = renderer
    }

    public func generate() -> [String: String] {
        let module = TypeScriptBuilder(model: model).module()
        var files: [String: String] = [:]
        for name in Self.fileNames {
            files[name] = renderer.render(name, module) + "\n"
        }
        return files
    }
}
