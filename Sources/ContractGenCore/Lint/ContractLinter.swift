import Foundation

/// `contractgen lint`: the analysis stage's findings (`ContractAnalyzer`) — every check the
/// generator makes on a contract (structure, `$ref`s, operations, error catalog, schemas, API ↔
/// database bindings, migrations, named queries, what generation depends on), the structural rules
/// of Redocly's and Spectral's OpenAPI rulesets, our API conventions and the database rules below;
/// then inline `x-lint-ignore` suppressions, then the severities and skipped paths of
/// `contractlint.yaml`.
public enum ContractLinter {
    /// Rules only the linter checks (the others come from the generator's stages).
    public static var ownRules: [String: String] { ContractAnalyzer.gateRules }

    static let databaseRules = [
        "migration-down": "every up migration has a down migration (and every down an up)",
        "table-rls": "every table with a user_id column enables and forces row-level security and has a policy",
    ]

    /// Findings for the contract at `source`, configured by `configuration`, in file and line order:
    /// the analysis stage's diagnostics, which `generate` judges the same way.
    public static func lint(_ source: ContractSource, configuration: LintConfiguration = LintConfiguration(), lenient: Bool = false) -> [Diagnostic] {
        ContractAnalyzer.analyze(source, policy: AnalysisPolicy(configuration: configuration, lenient: lenient)).diagnostics
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
