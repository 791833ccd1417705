import Foundation

/// The generator, one stage per job: load and resolve → analyze (`ContractAnalyzer`, every
/// diagnostic; nothing is rendered after an error) → language-neutral model → Swift view model →
/// Mustache templates → files.
public enum ContractPipeline {
    /// The result of loading and translating a contract.
    public struct Loaded {
        public var document: BundledDocument
        public var model: ContractModel
        public var diagnostics: [Diagnostic]
    }

    /// Stages 1–2: bundle the files, check their structure, read the catalog, build the model.
    /// `database`, when the caller has already replayed the migrations, is used for the API ↔
    /// database checks (its diagnostics are the caller's to report).
    public static func load(_ source: ContractSource, database: DatabaseCatalog? = nil) -> (Loaded?, [Diagnostic]) {
        let (bundled, bundleDiagnostics) = ReferenceBundler(rootFile: source.rootFile).bundle()
        guard let document = bundled else { return (nil, bundleDiagnostics) }
        return load(source, bundled: document, bundleDiagnostics: bundleDiagnostics, database: database)
    }

    /// Stage 2 for a document the caller has bundled (`bundleDiagnostics` are reported first).
    static func load(_ source: ContractSource, bundled document: BundledDocument, bundleDiagnostics: [Diagnostic], database: DatabaseCatalog?) -> (Loaded, [Diagnostic]) {
        let loaded = startLoading(source, bundled: document, bundleDiagnostics: bundleDiagnostics, database: database).finish()
        return (loaded, loaded.diagnostics)
    }

    /// The database catalog for the API ↔ database checks, when the contract has migrations: the
    /// caller's, or replayed from the migrations on the other core while the files are bundled.
    private static func databaseCatalog(of source: ContractSource, given: DatabaseCatalog?) -> (() -> (DatabaseCatalog, [Diagnostic]))? {
        if let given { return { (given, []) } }
        guard let migrations = source.migrationsDirectory else { return nil }
        let replay = BackgroundWork { CatalogLoader.load(migrationsDirectory: migrations) }
        return { replay.wait() }
    }

    /// Stage 2 under way: the model is built while OpenAPIKit's structure check still runs on the
    /// other core, so the caller can go on with the model (render) before `finish` waits for it.
    struct PendingLoad {
        /// The model, with the bundle's and the model's diagnostics so far.
        let model: ContractModel
        let document: BundledDocument
        let bundleDiagnostics: [Diagnostic]
        let modelDiagnostics: [Diagnostic]
        let structure: StructureValidator.Pending

        /// The loaded contract with every diagnostic, in pipeline order whatever finished first.
        func finish() -> Loaded {
            Loaded(document: document, model: model, diagnostics: bundleDiagnostics + structure.finish() + modelDiagnostics)
        }
    }

    /// Starts stage 2: the catalog and the model, with the structure check on the other core.
    static func startLoading(_ source: ContractSource, bundled document: BundledDocument, bundleDiagnostics: [Diagnostic], database: DatabaseCatalog?)
        -> PendingLoad {
        let database = databaseCatalog(of: source, given: database)
        let structure = StructureValidator.start(document)
        var modelDiagnostics: [Diagnostic] = []
        var catalog = ErrorCatalogLoader.standard
        if let file = source.errorCatalogFile {
            let (loaded, catalogDiagnostics) = ErrorCatalogLoader.load(file)
            modelDiagnostics += catalogDiagnostics
            if let loaded { catalog = loaded }
        }
        var translator = ContractTranslator(document: document)
        let (model, translationDiagnostics) = translator.translate(errorCatalog: catalog)
        modelDiagnostics += translationDiagnostics
        if let migrations = source.migrationsDirectory, let database,
           model.schemas.contains(where: { if case .object(let o) = $0.schema.shape { o.table != nil } else { false } }) {
            // API ↔ database drift: DTOs bound to tables must fit their columns.
            let (catalog, catalogDiagnostics) = database()
            modelDiagnostics += catalogDiagnostics
            modelDiagnostics += TableBindingChecker.check(model, catalog: catalog, migrations: migrations)
        }
        return PendingLoad(model: model, document: document, bundleDiagnostics: bundleDiagnostics, modelDiagnostics: modelDiagnostics, structure: structure)
    }

    /// Stage 1 alone: the contract bundled into one self-contained OpenAPI JSON document (what the
    /// server publishes as `/openapi.json`), for tools that take a single file.
    public static func bundle(_ source: ContractSource) -> (String?, [Diagnostic]) {
        let (bundled, diagnostics) = ReferenceBundler(rootFile: source.rootFile).bundle()
        return (bundled.map { JSONRendering.render($0.root) }, diagnostics)
    }

    /// The whole pipeline: analysis (every diagnostic, judged by `policy`), then — when it found
    /// no error — the Swift view model rendered by the templates. Returns the files (name →
    /// contents), nil when anything is an error, and every diagnostic.
    public static func generate(
        source: ContractSource, templatesDirectory: String?, options: SwiftGenerator.Options, policy: AnalysisPolicy = AnalysisPolicy()
    ) -> ([String: String]?, [Diagnostic]) {
        // The templates are parsed on the other core while the contract is bundled and modelled;
        // the model is rendered while the structure checks finish on the other core, and the
        // files are kept only when the analysis finds no error.
        let templates = BackgroundWork { Result { () throws(ContractGenFailure) in try TemplateRenderer(overrideDirectory: templatesDirectory, roots: SwiftGenerator.rootTemplates(client: options.client)) } }
        let started = ContractAnalyzer.start(source)
        var generatorOptions = options
        if generatorOptions.displayBase.isEmpty { generatorOptions.displayBase = source.displayBase }
        var rendered: ([String: String], [Diagnostic])?
        if let model = started.model, case .success(let renderer) = templates.wait() {
            rendered = SwiftGenerator(model: model, options: generatorOptions, renderer: renderer).generate()
        }
        let analysis = started.finish(policy: policy)
        if case .failure(let failure) = templates.wait() { return (nil, analysis.diagnostics + failure.diagnostics) }
        guard !analysis.failed, let (files, generationDiagnostics) = rendered else { return (nil, analysis.diagnostics) }
        return (files, analysis.diagnostics + generationDiagnostics)
    }

    /// The database layer: after the same analysis, the catalog replayed from `db/migrations` and
    /// the named queries of `db/queries` typed against it, rendered as repositories and query
    /// functions.
    public static func generateDatabase(
        source: ContractSource, templatesDirectory: String?, options: SwiftGenerator.Options, policy: AnalysisPolicy = AnalysisPolicy()
    ) -> ([String: String]?, [Diagnostic]) {
        guard let migrations = source.migrationsDirectory else {
            return (nil, [Diagnostic(.error, "\(source.rootFile): the contracts have no db/migrations directory to generate the database layer from")])
        }
        let renderer: TemplateRenderer
        do {
            renderer = try TemplateRenderer(overrideDirectory: templatesDirectory, roots: DatabaseGenerator.rootTemplates)
        } catch {
            return (nil, error.diagnostics)
        }
        let analysis = ContractAnalyzer.analyze(source, policy: policy)
        guard !analysis.failed, let catalog = analysis.database else { return (nil, analysis.diagnostics) }
        var generatorOptions = options
        if generatorOptions.displayBase.isEmpty { generatorOptions.displayBase = source.displayBase }
        let generator = DatabaseGenerator(
            catalog: catalog, queries: analysis.queries, migrationFiles: MigrationFile.load(directory: migrations), options: generatorOptions,
            renderer: renderer, sources: (migrations, source.queriesDirectory),
            stateMachines: analysis.loaded.map { StateMachineGuards.enumStateMachines($0.model, catalog: catalog) } ?? [:],
            boundEnums: analysis.loaded.map { TableBindingChecker.boundEnums($0.model) } ?? [:])
        return (generator.generate(), analysis.diagnostics)
    }

    /// The file `generateMappings` writes.
    public static let mappingsFileName = "Mappings.swift"

    /// Initializers of the DTOs bound to tables (`x-table`) from their rows (`--emit mappings`),
    /// for a target that imports the API types and the database layer (`imports`: their modules).
    public static func generateMappings(
        source: ContractSource, templatesDirectory: String?, options: SwiftGenerator.Options, imports: [String],
        policy: AnalysisPolicy = AnalysisPolicy()
    ) -> ([String: String]?, [Diagnostic]) {
        guard source.migrationsDirectory != nil else {
            return (nil, [Diagnostic(.error, "\(source.rootFile): the contracts have no db/migrations directory to map rows from")])
        }
        let renderer: TemplateRenderer
        do {
            renderer = try TemplateRenderer(overrideDirectory: templatesDirectory, roots: ["row-mapping", "file"])
        } catch {
            return (nil, error.diagnostics)
        }
        let analysis = ContractAnalyzer.analyze(source, policy: policy)
        guard !analysis.failed, let catalog = analysis.database, let model = analysis.loaded?.model else { return (nil, analysis.diagnostics) }
        let builder = RowMappingBuilder(model: model, catalog: catalog, access: options.accessModifier, boundEnums: TableBindingChecker.boundEnums(model))
        let base = options.displayBase.isEmpty ? source.displayBase : options.displayBase
        let shown = base.isEmpty || !model.rootFile.hasPrefix(base + "/") ? model.rootFile : String(model.rootFile.dropFirst(base.count + 1))
        let file = renderer.render("file", SourceFile(
            sources: shown, imports: Array(Set(["ContractRuntime", "Foundation", "PostgresSupport"] + imports)).sorted(), declarations: builder.mappings().map { renderer.render("row-mapping", $0) }))
        return ([mappingsFileName: file + "\n"], analysis.diagnostics)
    }

    /// The TypeScript client (`--emit typescript`): after the same analysis, the model rendered by
    /// the templates of `templates/typescript/`.
    public static func generateTypeScript(
        source: ContractSource, templatesDirectory: String?, policy: AnalysisPolicy = AnalysisPolicy()
    ) -> ([String: String]?, [Diagnostic]) {
        let renderer: TemplateRenderer
        do {
            renderer = try TemplateRenderer(overrideDirectory: templatesDirectory, typeScript: true)
        } catch {
            return (nil, error.diagnostics)
        }
        let analysis = ContractAnalyzer.analyze(source, policy: policy)
        guard !analysis.failed, let model = analysis.loaded?.model else { return (nil, analysis.diagnostics) }
        return (TypeScriptGenerator(model: model, renderer: renderer).generate(), analysis.diagnostics)
    }

    /// Writes `files` into `directory`, touching only files whose contents changed (so an
    /// unchanged contract recompiles nothing). Returns the names written.
    @discardableResult
    public static func write(_ files: [String: String], to directory: String) throws -> [String] {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var written: [String] = []
        for name in files.keys.sorted() {
            let path = directory + "/" + name
            let data = Data(files[name]!.utf8)
            if FileManager.default.contents(atPath: path) == data { continue }
            try data.write(to: URL(fileURLWithPath: path), options: .atomic)
            written.append(name)
        }
        return written
    }
}
