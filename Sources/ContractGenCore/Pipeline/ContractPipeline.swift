import Foundation

/// The generator, one stage per job: load and resolve → language-neutral model → Swift view
/// model → Mustache templates → files.
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
        let (loaded, _, diagnostics) = load(source, database: database, then: { _ in () })
        return (loaded, diagnostics)
    }

    /// Stage 2 for a document the caller has bundled (`bundleDiagnostics` are reported first).
    static func load(_ source: ContractSource, bundled document: BundledDocument, bundleDiagnostics: [Diagnostic], database: DatabaseCatalog?) -> (Loaded, [Diagnostic]) {
        let (loaded, _, diagnostics) = load(
            source, bundled: document, bundleDiagnostics: bundleDiagnostics, database: databaseCatalog(of: source, given: database), then: { _ in () })
        return (loaded, diagnostics)
    }

    /// Stages 1–2, then `next` on the model while OpenAPIKit's structure check runs on the other
    /// core. Diagnostics come in pipeline order whatever finishes first.
    static func load<Output>(_ source: ContractSource, database: DatabaseCatalog? = nil, then next: (Loaded) -> Output) -> (Loaded?, Output?, [Diagnostic]) {
        let catalog = databaseCatalog(of: source, given: database)
        let (bundled, bundleDiagnostics) = ReferenceBundler(rootFile: source.rootFile).bundle()
        guard let document = bundled else { return (nil, nil, bundleDiagnostics) }
        return load(source, bundled: document, bundleDiagnostics: bundleDiagnostics, database: catalog, then: next)
    }

    /// The database catalog for the API ↔ database checks, when the contract has migrations: the
    /// caller's, or replayed from the migrations on the other core while the files are bundled.
    private static func databaseCatalog(of source: ContractSource, given: DatabaseCatalog?) -> (() -> (DatabaseCatalog, [Diagnostic]))? {
        if let given { return { (given, []) } }
        guard let migrations = source.migrationsDirectory else { return nil }
        let replay = BackgroundWork { CatalogLoader.load(migrationsDirectory: migrations) }
        return { replay.wait() }
    }

    private static func load<Output>(
        _ source: ContractSource, bundled document: BundledDocument, bundleDiagnostics: [Diagnostic],
        database: (() -> (DatabaseCatalog, [Diagnostic]))?, then next: (Loaded) -> Output
    ) -> (Loaded, Output, [Diagnostic]) {
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
        var loaded = Loaded(document: document, model: model, diagnostics: modelDiagnostics)
        let output = next(loaded)
        loaded.diagnostics = bundleDiagnostics + structure.finish() + modelDiagnostics
        return (loaded, output, loaded.diagnostics)
    }

    /// Stage 1 alone: the contract bundled into one self-contained OpenAPI JSON document (what the
    /// server publishes as `/openapi.json`), for tools that take a single file.
    public static func bundle(_ source: ContractSource) -> (String?, [Diagnostic]) {
        let (bundled, diagnostics) = ReferenceBundler(rootFile: source.rootFile).bundle()
        return (bundled.map { JSONRendering.render($0.root) }, diagnostics)
    }

    /// The whole pipeline: returns the files (name → contents) and every diagnostic.
    public static func generate(
        source: ContractSource, templatesDirectory: String?, options: SwiftGenerator.Options
    ) -> ([String: String]?, [Diagnostic]) {
        // The templates are parsed on the other core while the contract is bundled.
        let templates = BackgroundWork { Result { () throws(ContractGenFailure) in try TemplateRenderer(overrideDirectory: templatesDirectory) } }
        var generatorOptions = options
        if generatorOptions.displayBase.isEmpty { generatorOptions.displayBase = source.displayBase }
        let (_, generated, loadDiagnostics) = load(source) { loaded -> ([String: String], [Diagnostic])? in
            guard case .success(let renderer) = templates.wait() else { return nil }
            return SwiftGenerator(model: loaded.model, options: generatorOptions, renderer: renderer).generate()
        }
        if case .failure(let failure) = templates.wait() { return (nil, loadDiagnostics + failure.diagnostics) }
        guard let (files, generationDiagnostics) = generated ?? nil else { return (nil, loadDiagnostics) }
        return (files, loadDiagnostics + generationDiagnostics)
    }

    /// The database layer: the catalog replayed from `db/migrations`, the named queries of
    /// `db/queries` typed against it, rendered as repositories and query functions.
    public static func generateDatabase(
        source: ContractSource, templatesDirectory: String?, options: SwiftGenerator.Options
    ) -> ([String: String]?, [Diagnostic]) {
        guard let migrations = source.migrationsDirectory else {
            return (nil, [Diagnostic(.error, "\(source.rootFile): the contracts have no db/migrations directory to generate the database layer from")])
        }
        let renderer: TemplateRenderer
        do {
            renderer = try TemplateRenderer(overrideDirectory: templatesDirectory)
        } catch {
            return (nil, error.diagnostics)
        }
        let (catalog, catalogDiagnostics) = CatalogLoader.load(migrationsDirectory: migrations)
        var queries: [NamedQuery] = []
        var diagnostics = catalogDiagnostics
        if let directory = source.queriesDirectory {
            let (loaded, queryDiagnostics) = QueryLoader.load(queriesDirectory: directory, catalog: catalog)
            queries = loaded
            diagnostics += queryDiagnostics
        }
        var generatorOptions = options
        if generatorOptions.displayBase.isEmpty { generatorOptions.displayBase = source.displayBase }
        let generator = DatabaseGenerator(
            catalog: catalog, queries: queries, migrationFiles: MigrationFile.load(directory: migrations), options: generatorOptions,
            renderer: renderer, sources: (migrations, source.queriesDirectory))
        let (files, generationDiagnostics) = generator.generate()
        return (files, diagnostics + generationDiagnostics)
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
