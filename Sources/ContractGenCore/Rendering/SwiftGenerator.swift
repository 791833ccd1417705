/// Turns the contract model into Swift files: fixed names known before generation (SwiftPM
/// needs that), types and operations spread over `shards` files (`API_<n>.swift`) by a stable hash
/// of their name so large contracts compile in parallel and one change recompiles little.
///
/// Each shard holds types and operations alike, so the shards cost about the same to compile; they are
/// named to sort before the fixed files because SwiftPM passes the compiler its files in name order and
/// the driver batches them in that order: the shards, most of the work, spread over the batches, and the
/// small fixed files share the last one.
public struct SwiftGenerator {
    /// Options of one generation.
    public struct Options: Sendable {
        public var shards: Int
        public var accessModifier: String
        /// Directory paths are shown relative to (`contracts/api/v1/tasks.yaml`).
        public var displayBase: String
        /// Generate a client of the contract (`--emit client`) instead of its server.
        public var client: Bool

        public init(shards: Int = 16, accessModifier: String = "public", displayBase: String = "", client: Bool = false) {
            self.shards = max(1, shards)
            self.accessModifier = accessModifier
            self.displayBase = displayBase
            self.client = client
        }
    }

    /// The templates generation renders itself (the renderer parses these and the partials they use).
    public static func rootTemplates(client: Bool) -> [String] {
        client ? ["client", "client-operation", "declaration", "errors", "file"]
            : ["contract", "contract-cases", "docs.html", "handlers", "operation", "declaration", "errors", "file", "principal"]
    }

    /// The file names generation writes for `shards`, in order: the API (`--emit api`).
    public static func outputFileNames(shards: Int) -> [String] {
        shardFileNames(shards) + ["Contract.swift", "ErrorCodes.swift", "Handlers.swift"]
    }

    /// The file names a client generation writes for `shards` (`--emit client`): the types and the
    /// operations' methods and namespaces, the client, the error catalog.
    public static func clientFileNames(shards: Int) -> [String] {
        shardFileNames(shards) + ["Client.swift", "ErrorCodes.swift"]
    }

    /// The files holding the types and operations.
    static func shardFileNames(_ shards: Int) -> [String] {
        (0..<max(1, shards)).map { "API_\($0).swift" }
    }

    /// The file the negative contract cases are written to (`--emit cases`): a target of its own
    /// that only tests link, so production code carries no test support.
    public static let casesFileName = "ContractCases.swift"

    /// What each kind of generated file imports: the error catalog needs only the transport-neutral runtime;
    /// the server's shards and routes the server; the client's the client; the cases the testing support.
    static let catalogImports = ["ContractRuntime", "Foundation"]
    static let serverImports = ["ContractRuntime", "ContractServer", "Foundation", "HTTPTypes", "Hummingbird"]
    static let caseImports = ["ContractRuntime", "ContractTesting"]
    static let clientImports = ["ContractClient", "ContractRuntime", "Foundation"]

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
        case client, clientOperation(Int)
    }

    /// One `API_<n>` file: the contract files it comes from, its types and its operations.
    private struct Shard {
        var sources: Set<String> = []
        var types: [String] = []
        var operations: [String] = []
    }

    /// File name → contents, and diagnostics (e.g. an operation declaring an unknown code).
    public func generate() -> ([String: String], [Diagnostic]) {
        if options.client { return generateClient() }
        let mapper = SwiftTypeMapper(schemas: model.schemas, reserved: Set(model.operations.map(OperationBuilder.namespace)))
        let declarations = DeclarationBuilder(mapper: mapper, access: options.accessModifier)
        let operations = OperationBuilder(model: model, mapper: mapper, access: options.accessModifier, declarations: declarations)
        let operationSources = Set(model.operations.map { display($0.sourceFile) })
        let handlerSources = operationSources.isEmpty ? [display(model.rootFile)] : operationSources

        // The contract file (it embeds the docs page) takes longest: it goes first.
        let jobs: [Job] = [.contract, .contractCases, .handlers, .errorCodes]
            + model.operations.indices.map(Job.operation) + model.schemas.indices.map(Job.schema)
        let results = ParallelJobs.run(jobs.count) { index -> (text: String, diagnostics: [Diagnostic]) in
            switch jobs[index] {
            case .contract:
                let principals = operations.principals().map { renderer.render("principal", $0) }
                return (file(sources: [display(model.rootFile)], imports: Self.serverImports, declarations: [contract(operations: operations)] + principals), [])
            case .contractCases:
                return (file(sources: handlerSources, imports: Self.caseImports, declarations: [contractCases()]), [])
            case .handlers:
                return (file(sources: handlerSources, imports: Self.serverImports, declarations: [renderer.render("handlers", HandlersDeclaration(access: options.accessModifier, protocols: operations.handlers()))]), [])
            case .errorCodes:
                return (errorCodesFile(), [])
            case .operation(let position):
                var builder = operations
                let declaration = builder.operationNamespace(model.operations[position])
                return (renderer.render("operation", declaration), builder.diagnostics.diagnostics)
            case .schema(let position):
                let schema = model.schemas[position]
                return (renderer.render("declaration", declarations.declaration(of: schema, display: displayLine)), [])
            case .client, .clientOperation:
                return ("", [])
            }
        }

        var files: [String: String] = [:]
        var shards = [Shard](repeating: Shard(), count: options.shards)
        var operationDiagnostics: [Diagnostic] = []
        var otherDiagnostics: [Diagnostic] = []
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
                add(operation: result.text, named: operation.operationID, from: operation.sourceFile, to: &shards)
                operationDiagnostics += result.diagnostics
            case .schema(let position):
                let schema = model.schemas[position]
                add(type: result.text, named: schema.name, from: schema.sourceFile, to: &shards)
            case .client, .clientOperation:
                break
            }
        }
        write(shards, imports: Self.serverImports, into: &files)
        return (files, operationDiagnostics + otherDiagnostics)
    }

    /// A client of the contract: the client type, the error catalog, the types (as the server's) and
    /// per operation a method and its namespace, spread over the shards like the server's.
    private func generateClient() -> ([String: String], [Diagnostic]) {
        let mapper = SwiftTypeMapper(schemas: model.schemas, reserved: Set(model.operations.map(OperationBuilder.namespace)))
        let declarations = DeclarationBuilder(mapper: mapper, access: options.accessModifier)
        let client = ClientBuilder(model: model, mapper: mapper, access: options.accessModifier, declarations: declarations)
        let jobs: [Job] = [.client, .errorCodes] + model.operations.indices.map(Job.clientOperation) + model.schemas.indices.map(Job.schema)
        let results = ParallelJobs.run(jobs.count) { index -> (text: String, diagnostics: [Diagnostic]) in
            switch jobs[index] {
            case .client:
                let declaration = ClientDeclaration(access: options.accessModifier, name: "APIClient", title: model.title, version: model.version)
                return (file(sources: [display(model.rootFile)], imports: Self.clientImports, declarations: [renderer.render("client", declaration)]), [])
            case .errorCodes:
                return (errorCodesFile(), [])
            case .clientOperation(let position):
                var builder = client
                let declaration = builder.operation(model.operations[position])
                return (renderer.render("client-operation", declaration), builder.operations.diagnostics.diagnostics)
            case .schema(let position):
                let schema = model.schemas[position]
                return (renderer.render("declaration", declarations.declaration(of: schema, display: displayLine)), [])
            case .contract, .contractCases, .handlers, .operation:
                return ("", [])
            }
        }
        var files: [String: String] = [:]
        var shards = [Shard](repeating: Shard(), count: options.shards)
        var diagnostics: [Diagnostic] = []
        for (job, result) in zip(jobs, results) {
            switch job {
            case .client: files["Client.swift"] = result.text
            case .errorCodes: files["ErrorCodes.swift"] = result.text
            case .clientOperation(let position):
                let operation = model.operations[position]
                add(operation: result.text, named: operation.operationID, from: operation.sourceFile, to: &shards)
                diagnostics += result.diagnostics
            case .schema(let position):
                let schema = model.schemas[position]
                add(type: result.text, named: schema.name, from: schema.sourceFile, to: &shards)
            case .contract, .contractCases, .handlers, .operation:
                break
            }
        }
        write(shards, imports: Self.clientImports, into: &files)
        return (files, diagnostics)
    }

    /// Puts a rendered type or operation into the shard its name hashes to.
    private func add(type: String? = nil, operation: String? = nil, named name: String, from sourceFile: String, to shards: inout [Shard]) {
        let index = Self.shard(of: name, count: options.shards)
        shards[index].sources.insert(display(sourceFile))
        if let type { shards[index].types.append(type) }
        if let operation { shards[index].operations.append(operation) }
    }

    /// The `API_<n>` files: each shard's types, then its operations.
    private func write(_ shards: [Shard], imports: [String], into files: inout [String: String]) {
        for (name, shard) in zip(Self.shardFileNames(shards.count), shards) {
            files[name] = file(sources: shard.sources, imports: imports, declarations: shard.types + shard.operations)
        }
    }

    /// `ErrorCodes.swift`: the catalog needs only the transport-neutral runtime, so server and client share it.
    private func errorCodesFile() -> String {
        let source = model.errorCatalog.sourceFile.map(display) ?? "the built-in standard catalog"
        return file(sources: [source], imports: Self.catalogImports, declarations: [errorCodes()])
    }

    /// The negative contract tests `ViolationPlanner` plans, one array per operation.
    private func contractCases() -> String {
        let planner = ViolationPlanner(model: model)
        let groups = model.operations.compactMap { operation -> ContractCasesDeclaration.Group? in
            let cases = planner.violations(of: operation).map(ContractCase.init)
            guard !cases.isEmpty else { return nil }
            return ContractCasesDeclaration.Group(operationID: operation.operationID, member: SwiftNaming.memberName(operation.operationID) + "Cases", cases: cases)
        }
        return renderer.render("contract-cases", ContractCasesDeclaration(access: options.accessModifier, groups: groups))
    }

    private func file(sources: Set<String>, imports: [String], declarations: [String]) -> String {
        let list = sources.sorted()
        let shown = list.count > 6 ? list.prefix(6).joined(separator: ", ") + " and \(list.count - 6) more" : list.joined(separator: ", ")
        return renderer.render("file", SourceFile(sources: list.isEmpty ? display(model.rootFile) : shown, imports: imports, declarations: declarations)) + "\n"
    }

    /// `file:line` of `location`, its file shown as `display` does.
    private func displayLine(_ location: SourceLocation) -> String {
        "\(display(location.file)):\(location.line)"
    }

    private func display(_ file: String) -> String {
        let base = options.displayBase
        if !base.isEmpty, file.hasPrefix(base + "/") { return String(file.dropFirst(base.count + 1)) }
        return file
    }

    private func errorCodes() -> String {
        let entries = model.errorCatalog.entries.map { entry in
            ErrorCatalogDeclaration.Entry(
                name: SwiftNaming.memberName(entry.name), code: entry.code, httpStatus: entry.httpStatus, symbol: SwiftNaming.literal(entry.name),
                messages: entry.messages.keys.sorted().map { .init(language: SwiftNaming.literal($0), text: SwiftNaming.literal(entry.messages[$0]!)) },
                docLines: ["\(entry.name) (HTTP \(entry.httpStatus))" + (entry.usage.map { ": \($0)" } ?? "")])
        }
        // The analysis reports a missing runtime entry (`catalog-runtime-codes`) and nothing is rendered then.
        let slots = ErrorCatalogLoader.runtimeSlots.filter { model.errorCatalog.entry(named: $0.name) != nil }.map { slot in
            ErrorCatalogDeclaration.Slot(slot: slot.slot, name: SwiftNaming.memberName(slot.name))
        }
        return renderer.render("errors", ErrorCatalogDeclaration(access: options.accessModifier, entries: entries, slots: slots))
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
        return renderer.render("contract", ContractDeclaration(
            access: options.accessModifier, title: model.title, version: model.version,
            titleLiteral: SwiftNaming.literal(model.title), versionLiteral: SwiftNaming.literal(model.version),
            paths: paths.map { .init(path: SwiftNaming.literal($0.0), methods: $0.1.sorted().map(SwiftNaming.literal)) },
            openAPIJSON: SwiftLiteral.raw(model.bundledJSON),
            docsHTML: SwiftLiteral.raw(DocsPage(model: model).html(renderer: renderer)),
            schemes: operations.securitySchemes()))
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
