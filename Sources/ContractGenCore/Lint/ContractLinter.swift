import Foundation

/// `contractgen lint`: every check the generator makes on a contract (structure, `$ref`s,
/// operations, error catalog, schemas, API ↔ database bindings, migrations, named queries), the
/// structural rules of Redocly's and Spectral's OpenAPI rulesets, our API conventions and the
/// database rules below; then inline `x-lint-ignore` suppressions, then the severities and skipped
/// paths of `contractlint.yaml`.
public enum ContractLinter {
    /// Rules only the linter checks (the others come from the generator's stages).
    public static var ownRules: [String: String] {
        [databaseRules, ConventionRules.descriptions, NulRules.descriptions, StructureRules.descriptions, LintSuppressions.descriptions]
            .reduce(into: [:]) { all, rules in all.merge(rules) { first, _ in first } }
    }

    static let databaseRules = [
        "migration-down": "every up migration has a down migration (and every down an up)",
        "table-rls": "every table with a user_id column enables and forces row-level security and has a policy",
    ]

    /// Severities the linter gives generator checks that are warnings when generating: a
    /// description OpenAPIKit rejects still generates, but it does not pass the gate.
    static let lintSeverities: [String: Diagnostic.Severity] = ["oas-structure": .error, "unknown-field": .error, "ref-allowed": .error]

    /// Findings for the contract at `source`, configured by `configuration`, in file and line order.
    public static func lint(_ source: ContractSource, configuration: LintConfiguration = LintConfiguration()) -> [Diagnostic] {
        var found: [Diagnostic] = []
        var database: DatabaseCatalog?
        if let migrations = source.migrationsDirectory {
            let (catalog, catalogDiagnostics) = CatalogLoader.load(migrationsDirectory: migrations)
            database = catalog
            found += catalogDiagnostics
            found += migrationPairs(migrations)
            found += rowLevelSecurity(catalog)
            if let queries = source.queriesDirectory {
                found += QueryLoader.load(queriesDirectory: queries, catalog: catalog).1
            }
        }
        let (bundled, bundleDiagnostics) = ReferenceBundler(rootFile: source.rootFile).bundle()
        if let document = bundled {
            // The structural rules need only the document: they run on the other core while the
            // pipeline builds the model.
            let structural = BackgroundWork { StructureRules.check(document) }
            let (loaded, pipelineDiagnostics) = ContractPipeline.load(source, bundled: document, bundleDiagnostics: bundleDiagnostics, database: database)
            found = pipelineDiagnostics + found + structural.wait() + ConventionRules.check(loaded)
            if source.migrationsDirectory != nil { found += NulRules.check(loaded.model) }
            found = LintSuppressions(document).apply(to: found)
        } else {
            found = bundleDiagnostics + found
        }
        var seen: Set<String> = []
        var collector = DiagnosticCollector()
        for var diagnostic in found where seen.insert(diagnostic.description).inserted {
            if let rule = diagnostic.ruleID, let severity = lintSeverities[rule] { diagnostic.severity = severity }
            if let configured = configuration.apply(to: diagnostic) { collector.emit(configured) }
        }
        return collector.sorted
    }

    static func migrationPairs(_ directory: String) -> [Diagnostic] {
        let names = Set((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
        var diagnostics = DiagnosticCollector()
        for name in names.sorted() {
            if name.hasSuffix(".up.sql"), !names.contains(String(name.dropLast(".up.sql".count)) + ".down.sql") {
                diagnostics.error("\(name) has no .down.sql", at: SourceLocation(file: directory + "/" + name, line: 1, column: 1), rule: "migration-down")
            }
            if name.hasSuffix(".down.sql"), !names.contains(String(name.dropLast(".down.sql".count)) + ".up.sql") {
                diagnostics.error("\(name) has no .up.sql", at: SourceLocation(file: directory + "/" + name, line: 1, column: 1), rule: "migration-down")
            }
        }
        return diagnostics.diagnostics
    }

    static func rowLevelSecurity(_ catalog: DatabaseCatalog) -> [Diagnostic] {
        var diagnostics = DiagnosticCollector()
        for table in catalog.tables where table.column("user_id") != nil {
            var missing: [String] = []
            if !table.rowLevelSecurity { missing.append("ENABLE ROW LEVEL SECURITY") }
            if !table.forceRowLevelSecurity { missing.append("FORCE ROW LEVEL SECURITY") }
            if table.policies.isEmpty { missing.append("a policy") }
            if !missing.isEmpty {
                diagnostics.error("table \(table.name) has a user_id column but lacks \(missing.joined(separator: ", "))", at: table.location, rule: "table-rls")
            }
        }
        return diagnostics.diagnostics
    }
}
