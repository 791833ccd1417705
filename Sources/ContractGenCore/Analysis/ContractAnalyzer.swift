import Foundation

/// The analysis stage every verb runs: structure, schema keywords, references, the error catalog,
/// API ↔ database bindings, migrations, named queries, conventions and what generation depends on
/// — every diagnostic, judged by one `AnalysisPolicy`. `lint` prints the result; `generate`
/// renders only when it has no error, so what fails the gate fails the build.
public enum ContractAnalyzer {
    /// What the analysis found and built: the model and the database layer the renderers take,
    /// and every diagnostic after inline suppressions and the policy, in file and line order.
    public struct Analysis {
        /// The API model (nil when the document could not be bundled).
        public var loaded: ContractPipeline.Loaded?
        /// The catalog replayed from the migrations, when the contract has them.
        public var database: DatabaseCatalog?
        /// The named queries typed against `database`.
        public var queries: [NamedQuery]
        public var diagnostics: [Diagnostic]

        /// Whether any diagnostic is an error: nothing may be generated.
        public var failed: Bool { diagnostics.contains { $0.severity == .error } }
    }

    /// Rules of the gate rather than of generation: the structural rulesets, the API conventions,
    /// the database rules and the suppressions. `--lenient` makes their errors warnings.
    public static var gateRules: [String: String] {
        [ContractLinter.databaseRules, ConventionRules.descriptions, NulRules.descriptions, StructureRules.descriptions, LintSuppressions.descriptions]
            .reduce(into: [:]) { all, rules in all.merge(rules) { first, _ in first } }
    }

    /// Our API conventions (`contracts/README.md`): a third-party document is not held to them.
    static var conventionRules: [String: String] {
        ConventionRules.descriptions.merging(NulRules.descriptions) { first, _ in first }
    }

    /// Severities the strict policy gives checks the generator could work around: a description
    /// OpenAPIKit rejects can still be read, but it does not pass.
    static let strictSeverities: [String: Diagnostic.Severity] = ["oas-structure": .error, "unknown-field": .error, "ref-allowed": .error]

    /// Analyzes the contract at `source`.
    public static func analyze(_ source: ContractSource, policy: AnalysisPolicy = AnalysisPolicy()) -> Analysis {
        start(source).finish(policy: policy)
    }

    /// The analysis under way: the database layer and the model are built; the structure checks
    /// (OpenAPIKit's and the rulesets') still run on the other core. A renderer may start on
    /// `model` meanwhile and keep its output only if `finish` finds no error.
    public struct Started {
        /// The model, when the document could be bundled.
        public var model: ContractModel? { pending?.model }
        let source: ContractSource
        let pending: ContractPipeline.PendingLoad?
        let structural: BackgroundWork<[Diagnostic]>?
        let bundleDiagnostics: [Diagnostic]
        let database: DatabaseCatalog?
        let queries: [NamedQuery]
        let databaseDiagnostics: [Diagnostic]

        /// Waits for the checks, adds the conventions' and generation's own, and judges every
        /// finding by `policy` (after the inline suppressions).
        public func finish(policy: AnalysisPolicy) -> Analysis {
            var found: [Diagnostic]
            var loaded: ContractPipeline.Loaded?
            if let pending, let structural {
                let model = pending.finish()
                loaded = model
                found = model.diagnostics + databaseDiagnostics + structural.wait() + ConventionRules.check(model) + GenerationRules.check(model.model)
                    + StateMachineGuards.check(model.model, queries: queries)
                if source.migrationsDirectory != nil { found += NulRules.check(model.model) }
                found = LintSuppressions(model.document).apply(to: found)
            } else {
                found = bundleDiagnostics + databaseDiagnostics
            }
            var seen: Set<String> = []
            var collector = DiagnosticCollector()
            for diagnostic in found where seen.insert(diagnostic.description).inserted {
                if let judged = policy.judge(diagnostic) { collector.emit(judged) }
            }
            return Analysis(loaded: loaded, database: database, queries: queries, diagnostics: collector.sorted)
        }
    }

    /// Starts analyzing the contract at `source`.
    public static func start(_ source: ContractSource) -> Started {
        // The database layer (migrations replayed, queries typed) is analyzed on the other core
        // while the OpenAPI files are bundled.
        let databaseAnalysis = BackgroundWork { analyzeDatabase(source) }
        let (bundled, bundleDiagnostics) = ReferenceBundler(rootFile: source.rootFile).bundle()
        let (database, queries, found) = databaseAnalysis.wait()
        guard let document = bundled else {
            return Started(
                source: source, pending: nil, structural: nil, bundleDiagnostics: bundleDiagnostics, database: database, queries: queries,
                databaseDiagnostics: found)
        }
        // The structural rules need only the document: they run on the other core while the
        // pipeline builds the model.
        let structural = BackgroundWork { StructureRules.check(document) }
        let pending = ContractPipeline.startLoading(source, bundled: document, bundleDiagnostics: bundleDiagnostics, database: database)
        return Started(
            source: source, pending: pending, structural: structural, bundleDiagnostics: bundleDiagnostics, database: database, queries: queries,
            databaseDiagnostics: found)
    }

    /// The database layer's analysis: the catalog replayed from the migrations, the named queries
    /// typed against it, and their diagnostics (nothing when the contract has no migrations).
    private static func analyzeDatabase(_ source: ContractSource) -> (DatabaseCatalog?, [NamedQuery], [Diagnostic]) {
        guard let migrations = source.migrationsDirectory else { return (nil, [], []) }
        var found: [Diagnostic] = []
        var queries: [NamedQuery] = []
        let (catalog, catalogDiagnostics) = CatalogLoader.load(migrationsDirectory: migrations)
        found += catalogDiagnostics
        found += ContractLinter.migrationPairs(migrations)
        found += ContractLinter.rowLevelSecurity(catalog)
        if let directory = source.queriesDirectory {
            let (loaded, queryDiagnostics) = QueryLoader.load(queriesDirectory: directory, catalog: catalog)
            queries = loaded
            found += queryDiagnostics
        }
        found += GenerationRules.check(catalog, queries: queries)
        return (catalog, queries, found)
    }
}
