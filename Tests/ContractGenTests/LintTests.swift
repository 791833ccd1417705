import ContractGenCore
import Foundation
import Testing

@Suite("contract-lint")
struct LintTests {
    /// A contracts directory with one of each database problem the linter checks.
    static func brokenContracts() throws -> String {
        let directory = try PipelineTests.temporaryDirectory()
        try FileManager.default.createDirectory(atPath: directory + "/db/migrations", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: directory + "/api", withIntermediateDirectories: true)
        try "CREATE TABLE notes (id uuid PRIMARY KEY, user_id uuid NOT NULL);".write(toFile: directory + "/db/migrations/0001_notes.up.sql", atomically: true, encoding: .utf8)
        try """
        openapi: 3.1.0
        info: {title: Notes, version: '1'}
        paths:
          /notes/{id}:
            get:
              operationId: getNote
              responses:
                '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Missing'}}}}
        """.write(toFile: directory + "/api/openapi.yaml", atomically: true, encoding: .utf8)
        return directory
    }

    @Test func ourContractsLintWithoutErrors() throws {
        let findings = ContractLinter.lint(try ContractSource(path: PipelineTests.root + "/contracts"))
        #expect(findings.filter { $0.severity == .error }.map(\.description) == [])
    }

    @Test func databaseRulesAndGeneratorChecksAreFindings() throws {
        let directory = try Self.brokenContracts()
        let findings = ContractLinter.lint(try ContractSource(path: directory))
        let rules = Set(findings.filter { $0.severity == .error }.compactMap(\.ruleID))
        #expect(rules.isSuperset(of: ["migration-down", "table-rls", "ref-resolves", "path-params"]), "\(findings.map(\.description))")
        let rls = try #require(findings.first { $0.ruleID == "table-rls" })
        #expect(rls.message == "table notes has a user_id column but lacks ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY, a policy")
        #expect(rls.location?.line == 1)
    }

    @Test func configurationSetsSeveritiesAndSkipsPaths() throws {
        let directory = try Self.brokenContracts()
        try """
        rules:
          table-rls: warn
          path-params: off
        skip:
          - db/migrations/*.up.sql
        """.write(toFile: directory + "/contractlint.yaml", atomically: true, encoding: .utf8)
        let (configuration, problems) = LintConfiguration.load(directory + "/contractlint.yaml")
        #expect(problems.isEmpty)
        let findings = ContractLinter.lint(try ContractSource(path: directory), configuration: configuration)
        #expect(!findings.contains { $0.ruleID == "path-params" })
        #expect(!findings.contains { $0.location?.file.hasSuffix(".up.sql") == true }, "skipped paths report nothing")
        #expect(findings.contains { $0.ruleID == "ref-resolves" && $0.severity == .error })

        try "rules: {table-rls: loud}\nextra: 1\n".write(toFile: directory + "/bad.yaml", atomically: true, encoding: .utf8)
        let (_, badProblems) = LintConfiguration.load(directory + "/bad.yaml")
        #expect(badProblems.map(\.message) == ["rule table-rls: the level is error, warn or off", "unknown key extra (expected rules, skip)"])
    }

    @Test func everyFormatCarriesEveryFinding() throws {
        let findings = [
            Diagnostic(.error, "bad: thing, here", at: SourceLocation(file: "c/api.yaml", line: 3, column: 5), rule: "ref-resolves"),
            Diagnostic(.warning, "meh", at: nil, rule: "unsupported"),
        ]
        let human = LintReport.render(findings, format: .human)
        #expect(human.hasPrefix("c/api.yaml:3:5: error: bad: thing, here [ref-resolves]\n") && human.hasSuffix("1 error, 1 warning\n"))

        let json = try JSONSerialization.jsonObject(with: Data(LintReport.render(findings, format: .json).utf8)) as? [String: Any]
        let items = try #require(json?["findings"] as? [[String: Any]])
        #expect(items.count == 2 && items[0]["line"] as? Int == 3 && items[0]["rule"] as? String == "ref-resolves" && json?["errors"] as? Int == 1)

        // SARIF 2.1.0: the properties its schema requires of a log, a run, a tool driver and a result.
        let sarif = try #require(try JSONSerialization.jsonObject(with: Data(LintReport.render(findings, format: .sarif).utf8)) as? [String: Any])
        #expect(sarif["version"] as? String == "2.1.0")
        let run = try #require((sarif["runs"] as? [[String: Any]])?.first)
        let driver = try #require((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
        #expect(driver["name"] as? String == "contractgen")
        #expect((driver["rules"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == ["ref-resolves", "unsupported"])
        let results = try #require(run["results"] as? [[String: Any]])
        #expect(results.map { $0["level"] as? String } == ["error", "warning"])
        #expect(results.allSatisfy { ($0["message"] as? [String: Any])?["text"] is String && $0["ruleId"] is String })
        let region = ((results[0]["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])?["region"] as? [String: Any]
        #expect(region?["startLine"] as? Int == 3 && region?["startColumn"] as? Int == 5)

        #expect(LintReport.render(findings, format: .github) == """
        ::error file=c/api.yaml,line=3,col=5,title=ref-resolves::bad: thing, here
        ::warning title=unsupported::meh

        """)
    }
}
