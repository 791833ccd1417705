import ContractGenCore
import Foundation
import Testing

/// `generate` and `lint` run one analysis stage: a contract `lint` rejects generates nothing (so
/// the build plugin fails the build) with the same `file:line:col: error: … [rule]` lines, for
/// the API and the database layer alike; `lenient` keeps third-party documents generating.
@Suite("one analysis stage for generate and lint")
struct AnalysisStageTests {
    /// A copy of the service's contracts with `replace` applied once in `file`.
    static func contracts(changing file: String, _ original: String, to replacement: String) throws -> String {
        let directory = try PipelineTests.temporaryDirectory() + "/contracts"
        try FileManager.default.copyItem(atPath: PipelineTests.root + "/contracts", toPath: directory)
        let path = directory + "/" + file
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let range = try #require(text.range(of: original), "\(original) is in \(file)")
        try text.replacingCharacters(in: range, with: replacement).write(toFile: path, atomically: true, encoding: .utf8)
        return directory
    }

    /// Generates the API and the database layer and lints the contract at `directory`; both
    /// generations give no files and the errors lint gives, which include one of `rule`.
    static func expectTheSameErrors(_ directory: String, rule: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        let source = try ContractSource(path: directory)
        let linted = Set(ContractLinter.lint(source).filter { $0.severity == .error }.map(\.description))
        #expect(linted.contains { $0.hasSuffix("[\(rule)]") && $0.hasPrefix(directory + "/") }, "\(linted)", sourceLocation: sourceLocation)
        let api = ContractPipeline.generate(source: source, templatesDirectory: nil, options: .init(shards: 2))
        let database = ContractPipeline.generateDatabase(source: source, templatesDirectory: nil, options: .init())
        for (files, diagnostics) in [api, database] {
            #expect(files == nil, "nothing is generated", sourceLocation: sourceLocation)
            #expect(Set(diagnostics.filter { $0.severity == .error }.map(\.description)) == linted, sourceLocation: sourceLocation)
        }
    }

    @Test func anUnknownTypeFailsGeneration() throws {
        let directory = try Self.contracts(changing: "api/v1/tasks.yaml", "schema: {type: string}", to: "schema: {type: strnig}")
        try Self.expectTheSameErrors(directory, rule: "schema-keywords")
        // Leniently, as for a third-party document, it generates with warnings.
        let (files, diagnostics) = ContractPipeline.generate(
            source: try ContractSource(path: directory), templatesDirectory: nil, options: .init(shards: 2), policy: AnalysisPolicy(lenient: true))
        #expect(files != nil && !diagnostics.contains { $0.severity == .error })
        #expect(diagnostics.contains { $0.ruleID == "schema-keywords" && $0.severity == .warning })
    }

    @Test func anErrorCodeMissingFromTheCatalogFailsLintToo() throws {
        try Self.expectTheSameErrors(
            try Self.contracts(changing: "api/v1/openapi.yaml", "x-error-codes: [40901]", to: "x-error-codes: [40999]"), rule: "error-codes-known")
    }

    @Test func aBindingThatDoesNotFitItsTableFailsGeneration() throws {
        try Self.expectTheSameErrors(
            try Self.contracts(changing: "api/v1/admin.yaml", "errorCode: {type: integer}", to: "errorCode: {type: string}"), rule: "api-db-binding")
    }

    @Test func aBrokenQueryFailsGeneration() throws {
        try Self.expectTheSameErrors(
            try Self.contracts(changing: "db/queries/admin.sql", "SELECT * FROM dead_letters", to: "SELECT * FROM dead_letterz"), rule: "sql-query")
    }

    @Test func aRuleTurnedOffInTheConfigurationIsOffForGenerationToo() throws {
        let directory = try Self.contracts(changing: "api/v1/tasks.yaml", "schema: {type: string}", to: "schema: {type: strnig}")
        var configuration = LintConfiguration()
        for rule in ["schema-keywords", "example-valid", "oas-structure"] { configuration.rules[rule] = .warn }
        let (files, diagnostics) = ContractPipeline.generate(
            source: try ContractSource(path: directory), templatesDirectory: nil, options: .init(shards: 2), policy: AnalysisPolicy(configuration: configuration))
        #expect(files != nil && !diagnostics.contains { $0.severity == .error }, "\(diagnostics)")
    }
}
