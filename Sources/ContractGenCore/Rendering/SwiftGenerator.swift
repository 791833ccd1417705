/// Turns the contract model into Swift files: fixed names known before generation (SwiftPM
/// needs that), types and operations spread over `shards` files by a stable hash of their name
/// so large contracts compile in parallel and one change recompiles little.
public struct SwiftGenerator {
    /// Options of one generation.
    public struct Options: Sendable {
        public var shards: Int
        public var accessModifier: String
        /// Directory paths are shown relative to (`contracts/api/v1/tasks.yaml`).
        public var displayBase: String

        public init(shards: Int = 8, accessModifier: String = "public", displayBase: String = "") {
            self.shards = max(1, shards)
            self.accessModifier = accessModifier
            self.displayBase = displayBase
        }
    }

    /// The file names generation writes for `shards`, in order: the API (`--emit api`).
    public static func outputFileNames(shards: Int) -> [String] {
        ["Contract.swift", "ErrorCodes.swift", "Handlers.swift"]
            + (0..<max(1, shards)).map { "Types_\($0).swift" }
            + (0..<max(1, shards)).map { "Operations_\($0).swift" }
    }

    /// The file the negative contract cases are written to (`--emit cases`): a target of its own
    /// that only tests link, so production code carries no test support.
    public static let casesFileName = "ContractCases.swift"

    /// What each kind of generated file imports: DTOs and validators need only the
    /// transport-neutral runtime; operations and routes the server; the cases the testing support.
    static let typeImports = ["ContractRuntime", "Foundation"]
    static let serverImports = ["ContractRuntime", "ContractServer", "Foundation", "HTTPTypes", "Hummingbird"]
    static let caseImports = ["ContractRuntime", "ContractTesting"]

    let model: ContractModel
    let options: Options
    let renderer: TemplateRenderer

    public init(model: ContractModel, options: Options, renderer: TemplateRenderer) {
        self.model = model
        self.options = options
        self.renderer = renderer
    }

    /// One unit of rendering; the jobs run on both cores and their results are put together in a fixed order.
    private enum Job {
        case contract, contractCases, handlers, errorCodes
        case schema(Int), operation(Int)
    }

    /// One `Types_<n>` or `Operations_<n>` file: the contract files it comes from and its declarations.
    private typealias Shard = (sources: Set<String>, declarations: [String])

    /// File name → contents, and diagnostics (e.g. an operation declaring an unknown code).
    public func generate() -> ([String: String], [Diagnostic]) {
        let render: (String, [String: Any]) -> String = { renderer.render($0, $1) }
        let mapper = SwiftTypeMapper(schemas: model.schemas, reserved: Set(model.operations.map(OperationBuilder.namespace)))
        let declarations = DeclarationBuilder(mapper: mapper, access: options.accessModifier, render: render)
        let operations = OperationBuilder(model: model, mapper: mapper, access: options.accessModifier, render: render, declarations: declarations)
        let operationSources = Set(model.operations.map { display($0.sourceFile) })
        let handlerSources = operationSources.isEmpty ? [display(model.rootFile)] : operationSources

        // The contract file (it embeds the docs page) takes longest: it goes first.
        let jobs: [Job] = [.contract, .contractCases, .handlers, .errorCodes]
            + model.operations.indices.map(Job.operation) + model.schemas.indices.map(Job.schema)
        let results = ParallelJobs.run(jobs.count) { index -> (text: String, diagnostics: [Diagnostic]) in
            switch jobs[index] {
            case .contract:
                return (file(sources: [display(model.rootFile)], imports: Self.serverImports, declarations: [contract(operations: operations)]), [])
            case .contractCases:
                return (file(sources: handlerSources, imports: Self.caseImports, declarations: [contractCases()]), [])
            case .handlers:
                return (file(sources: handlerSources, imports: Self.serverImports, declarations: [operations.handlers()]), [])
            case .errorCodes:
                let source = model.errorCatalog.sourceFile.map(display) ?? "the built-in standard catalog"
                return (file(sources: [source], imports: Self.serverImports, declarations: [errorCodes()]), [])
            case .operation(let position):
                var builder = operations
                let declaration = builder.operationNamespace(model.operations[position])
                return (declaration, builder.diagnostics.diagnostics)
            case .schema(let position):
                let schema = model.schemas[position]
                return (declarations.declaration(named: schema.name, schema: schema.schema), [])
            }
        }

        var files: [String: String] = [:]
        var typeShards = [Shard](repeating: ([], []), count: options.shards)
        var operationShards = typeShards
        var operationDiagnostics: [Diagnostic] = []
        var otherDiagnostics: [Diagnostic] = []
        func add(_ declaration: String, named name: String, from sourceFile: String, to shards: inout [Shard]) {
            let shard = Self.shard(of: name, count: options.shards)
            shards[shard].sources.insert(display(sourceFile))
            shards[shard].declarations.append(declaration)
        }
        for (job, result) in zip(jobs, results) {
            switch job {
            case .contract: files["Contract.swift"] = result.text
            case .contractCases: files[Self.casesFileName] = result.text
            case .handlers: files["Handlers.swift"] = result.text
            case .errorCodes:
                files["ErrorCodes.swift"] = result.text
                otherDiagnostics += result.diagnostics
            case .operation(let position):
                let operation = model.operations[position]
                add(result.text, named: operation.operationID, from: operation.sourceFile, to: &operationShards)
                operationDiagnostics += result.diagnostics
            case .schema(let position):
                let schema = model.schemas[position]
                add(result.text, named: schema.name, from: schema.sourceFile, to: &typeShards)
            }
        }
        for (index, shard) in typeShards.enumerated() {
            files["Types_\(index).swift"] = file(sources: shard.sources, imports: Self.typeImports, declarations: shard.declarations)
        }
        for (index, shard) in operationShards.enumerated() {
            files["Operations_\(index).swift"] = file(sources: shard.sources, imports: Self.serverImports, declarations: shard.declarations)
        }
        return (files, operationDiagnostics + otherDiagnostics)
    }

    /// The negative contract tests `ViolationPlanner` plans, one array per operation.
    private func contractCases() -> String {
        let planner = ViolationPlanner(model: model)
        var operations: [[String: Any]] = []
        for operation in model.operations {
            let cases = planner.violations(of: operation).map(Self.violationLiteral)
            guard !cases.isEmpty else { continue }
            operations.append(["operationID": operation.operationID, "member": SwiftNaming.memberName(operation.operationID) + "Cases", "count": cases.count, "cases": cases])
        }
        let all = operations.isEmpty ? "[]" : operations.map { $0["member"] as! String }.joined(separator: " + ")
        return renderer.render("contract-cases", ["access": options.accessModifier, "operations": operations, "allExpression": all])
    }

    private static func violationLiteral(_ violation: PlannedViolation) -> String {
        let change = switch violation.change {
        case .setBody(let pointer, let value): ".setBody(pointer: \(SwiftNaming.literal(pointer)), value: \(jsonLiteral(value)))"
        case .removeBody(let pointer): ".removeBody(pointer: \(SwiftNaming.literal(pointer)))"
        case .repeatBodyItem(let pointer, let count): ".repeatBodyItem(pointer: \(SwiftNaming.literal(pointer)), count: \(count))"
        case .setQuery(let name, let value): ".setQuery(name: \(SwiftNaming.literal(name)), value: \(SwiftNaming.literal(value)))"
        case .removeQuery(let name): ".removeQuery(name: \(SwiftNaming.literal(name)))"
        case .setHeader(let name, let value): ".setHeader(name: \(SwiftNaming.literal(name)), value: \(SwiftNaming.literal(value)))"
        case .removeHeader(let name): ".removeHeader(name: \(SwiftNaming.literal(name)))"
        case .setPath(let name, let value): ".setPath(name: \(SwiftNaming.literal(name)), value: \(SwiftNaming.literal(value)))"
        }
        return "ContractViolation(operationID: \(SwiftNaming.literal(violation.operationID)), pathTemplate: \(SwiftNaming.literal(violation.pathTemplate)), "
            + "change: \(change), field: \(SwiftNaming.literal(violation.field)), constraint: \(SwiftNaming.literal(violation.constraint)))"
    }

    /// A `JSONValue` expression for a literal.
    private static func jsonLiteral(_ value: LiteralValue) -> String {
        switch value {
        case .null: ".null"
        case .bool(let flag): ".bool(\(flag))"
        case .integer(let number): ".integer(\(number))"
        case .number(let number): ".number(\(number))"
        case .string(let text): ".string(\(SwiftNaming.literal(text)))"
        case .array(let items): ".array([" + items.map(jsonLiteral).joined(separator: ", ") + "])"
        case .object(let object): ".object(JSONObject([" + object.keys.sorted().map { "(\(SwiftNaming.literal($0)), \(jsonLiteral(object[$0]!)))" }.joined(separator: ", ") + "]))"
        }
    }

    private func file(sources: Set<String>, imports: [String], declarations: [String]) -> String {
        let list = sources.sorted()
        let shown = list.count > 6 ? list.prefix(6).joined(separator: ", ") + " and \(list.count - 6) more" : list.joined(separator: ", ")
        return renderer.render("file", ["sources": list.isEmpty ? display(model.rootFile) : shown, "imports": imports, "declarations": declarations]) + "\n"
    }

    private func display(_ file: String) -> String {
        let base = options.displayBase
        if !base.isEmpty, file.hasPrefix(base + "/") { return String(file.dropFirst(base.count + 1)) }
        return file
    }

    private func errorCodes() -> String {
        let entries: [[String: Any]] = model.errorCatalog.entries.map { entry in
            let messages = entry.messages.keys.sorted().map { "\(SwiftNaming.literal($0)): \(SwiftNaming.literal(entry.messages[$0]!))" }.joined(separator: ", ")
            return [
                "name": SwiftNaming.memberName(entry.name), "code": entry.code, "http": entry.httpStatus, "symbol": SwiftNaming.literal(entry.name),
                "messages": messages.isEmpty ? ":" : messages,
                "docLines": ["/// \(entry.name) (HTTP \(entry.httpStatus))" + (entry.usage.map { ": \($0)" } ?? "")],
            ]
        }
        // The analysis reports a missing runtime entry (`catalog-runtime-codes`) and nothing is rendered then.
        let present = ErrorCatalogLoader.runtimeSlots.filter { model.errorCatalog.entry(named: $0.name) != nil }
        let slots: [[String: Any]] = present.enumerated().map { index, slot in
            ["slot": slot.slot, "name": SwiftNaming.memberName(slot.name), "comma": index == present.count - 1 ? "" : ","]
        }
        return renderer.render("errors", ["access": options.accessModifier, "entries": entries, "slots": slots])
    }

    private func contract(operations: OperationBuilder) -> String {
        var paths: [(String, [String])] = []
        for operation in model.operations {
            if let index = paths.firstIndex(where: { $0.0 == operation.path }) {
                paths[index].1.append(operation.method)
            } else {
                paths.append((operation.path, [operation.method]))
            }
        }
        paths.sort { $0.0 < $1.0 }
        return renderer.render("contract", [
            "access": options.accessModifier, "title": model.title, "version": model.version,
            "titleLiteral": SwiftNaming.literal(model.title), "versionLiteral": SwiftNaming.literal(model.version),
            "paths": paths.map { ["path": SwiftNaming.literal($0.0), "methods": $0.1.sorted().map(SwiftNaming.literal).joined(separator: ", ")] },
            "openAPIJSON": DeclarationBuilder.rawLiteral(model.bundledJSON),
            "docsHTML": DeclarationBuilder.rawLiteral(DocsPage(model: model).html(renderer: renderer)),
            "schemes": operations.securityDeclarations(),
        ])
    }

    /// FNV-1a, stable across runs and platforms (Swift's `hashValue` is seeded per process).
    static func shard(of name: String, count: Int) -> Int {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in name.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return Int(hash % UInt64(count))
    }
}
