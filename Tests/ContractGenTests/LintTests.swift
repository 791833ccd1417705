@testable import ContractGenCore
import Foundation
import Testing

@Suite("contract-lint")
struct LintTests {
    /// A contracts directory with one migration (`0001_notes.up.sql`) and an OpenAPI root.
    static func contracts(migration: String, openAPI: String) throws -> String {
        let directory = try PipelineTests.temporaryDirectory()
        try FileManager.default.createDirectory(atPath: directory + "/db/migrations", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: directory + "/api", withIntermediateDirectories: true)
        try migration.write(toFile: directory + "/db/migrations/0001_notes.up.sql", atomically: true, encoding: .utf8)
        try openAPI.write(toFile: directory + "/api/openapi.yaml", atomically: true, encoding: .utf8)
        return directory
    }

    /// A contracts directory with one of each database problem the linter checks.
    static func brokenContracts() throws -> String {
        try contracts(migration: "CREATE TABLE notes (id uuid PRIMARY KEY, user_id uuid NOT NULL);", openAPI: """
        openapi: 3.1.0
        info: {title: Notes, version: '1'}
        paths:
          /notes/{id}:
            get:
              operationId: getNote
              responses:
                '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Missing'}}}}
        """)
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

    @Test func requestStringsMustExcludeNulWhenTheContractHasADatabase() throws {
        let directory = try Self.contracts(migration: "CREATE TABLE notes (id uuid PRIMARY KEY, body text NOT NULL);", openAPI: """
        openapi: 3.1.0
        info: {title: Notes, version: '1'}
        paths:
          /notes:
            post:
              operationId: createNote
              security: []
              parameters:
                - {name: tag, in: query, schema: {type: string}}
                - {name: day, in: query, schema: {type: string, format: date}}
              requestBody:
                content:
                  application/json:
                    schema:
                      type: object
                      additionalProperties: false
                      properties:
                        body: {type: string, pattern: '^\\S.*$'}
                        title: {type: string, pattern: '^[^\\x00]*$'}
                        email: {type: string, format: email}
                        kind: {type: string, enum: [a, b]}
                        labels: {type: array, items: {type: string, maxLength: 9}}
              responses:
                '204': {description: created}
        """)
        let findings = ContractLinter.lint(try ContractSource(path: directory)).filter { $0.ruleID == "request-text-nul" }
        #expect(findings.map { $0.message.components(separatedBy: " is a string").first ?? "" }.sorted() == [
            "POST /notes body.body", "POST /notes body.labels[]", "POST /notes query parameter tag",
        ], "\(findings.map(\.description))")
        #expect(findings.allSatisfy { $0.severity == .error })
    }

    @Test("which patterns provably keep NUL out", arguments: [
        ("^[^\\x00]*$", true), ("^[A-Za-z0-9._-]{1,64}$", true), ("^[^/\\\\\\x00-\\x1f]+$", true),
        ("^[^\\s\\x00-\\x1f\\x7f](?:[^\\x00-\\x1f\\x7f]*[^\\s\\x00-\\x1f\\x7f])?$", true), ("^(a|b)$", true),
        ("^\\S(.*\\S)?$", false), ("^[^/]+$", false), ("^https?://", false), ("^a$|^b", false), ("^[\\x00-\\x7f]+$", false), ("^\\W+$", false),
    ])
    func nulPatterns(pattern: String, excludes: Bool) {
        #expect(NulRules.excludesNul(pattern) == excludes, "\(pattern)")
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

@Suite("contract-lint: conventions")
struct LintConventionTests {
    @Test func conventionsAreCheckedOnTheModel() throws {
        let directory = try PipelineTests.temporaryDirectory()
        try """
        errors:
          - {code: 40001, name: INVALID_ARGUMENT, http: 400, message: {en: Bad input, zh-CN: 参数错误}}
          - {code: 40401, name: NOT_FOUND, http: 404, message: {en: Not found}}
          - {code: 40999, name: NEVER_USED, http: 409, message: {en: Unused, zh-CN: 未使用}}
          - {code: 42299, name: TASK_ONLY, http: 422, scope: task, message: {en: A task outcome, zh-CN: 任务结果}}
        """.write(toFile: directory + "/errors.yaml", atomically: true, encoding: .utf8)
        try """
        openapi: 3.1.0
        info: {title: Things, version: '1'}
        security: [{bearer: []}]
        components:
          securitySchemes: {bearer: {type: http, scheme: bearer}}
          schemas:
            Thing:
              type: object
              properties: {name: {type: string}}
        paths:
          /things:
            get:
              operationId: listThings
              parameters: [{name: cursor, in: query, schema: {type: string}}]
              responses:
                '200': {description: ok, content: {application/json: {schema: {type: array, items: {$ref: '#/components/schemas/Thing'}}}}}
                '404': {description: no, x-error-codes: [40401]}
            post:
              operationId: createThing
              requestBody: {required: true, content: {application/json: {schema: {$ref: '#/components/schemas/Thing'}}}}
              responses:
                '200': {description: ok}
                '400': {description: bad, x-error-codes: [40001]}
          /things/{id}:
            put:
              operationId: replaceThing
              parameters: [{name: id, in: path, required: true, schema: {type: string}}]
              responses: {'204': {description: done}}
        """.write(toFile: directory + "/openapi.yaml", atomically: true, encoding: .utf8)
        let findings = ContractLinter.lint(try ContractSource(path: directory))
        let byRule = Dictionary(grouping: findings.filter { ConventionRules.descriptions[$0.ruleID ?? ""] != nil }, by: { $0.ruleID! })
            .mapValues { $0.map(\.message) }
        #expect(byRule == [
            "idempotency-key": ["POST /things changes state but does not require Idempotency-Key"],
            "if-match": ["PUT /things/{id} updates a resource but does not require If-Match"],
            "cursor-pagination": ["GET /things pages with cursor but takes no limit", "GET /things pages with cursor but its 200 body is not {items, nextCursor}"],
            "closed-request-body": ["POST /things: the JSON request body does not set additionalProperties: false"],
            "catalog-languages": ["catalog entry 40401 has no zh-CN message"],
            "catalog-used": ["catalog entry 40999 (NEVER_USED) is declared by no operation"],
            "declared-rejections": [
                "POST /things takes a body but declares no 413 response for one over the limit",
                "POST /things takes a body but declares no 415 response for another Content-Type",
            ],
            "error-envelope": [
                "GET /things: the 404 response's body is not the error envelope {code, message, requestId}",
                "POST /things: the 400 response's body is not the error envelope {code, message, requestId}",
            ],
        ])
    }

    @Test func securityIsDeclaredOrExplicitlyPublic() throws {
        let directory = try PipelineTests.temporaryDirectory()
        try """
        openapi: 3.1.0
        info: {title: Things, version: '1'}
        components: {securitySchemes: {bearer: {type: http, scheme: bearer}}}
        paths:
          /things:
            get:
              operationId: listThings
              responses: {'200': {description: ok}}
          /status:
            get:
              operationId: getStatus
              security: []
              responses: {'200': {description: ok}}
          /mine:
            get:
              operationId: listMine
              security: [{bearer: []}]
              responses: {'200': {description: ok}}
        """.write(toFile: directory + "/openapi.yaml", atomically: true, encoding: .utf8)
        let findings = ContractLinter.lint(try ContractSource(path: directory)).filter { $0.ruleID == "security-explicit" }
        #expect(findings.map(\.message) == ["GET /things declares no security; name its scheme, or write `security: []` if it is public"])
    }

    @Test func errorResponsesUseTheEnvelopeAndNameTheirCodes() throws {
        let directory = try PipelineTests.temporaryDirectory()
        try "errors:\n  - {code: 40401, name: NOT_FOUND, http: 404, message: {en: Not found, zh-CN: 未找到}}\n".write(toFile: directory + "/errors.yaml", atomically: true, encoding: .utf8)
        try """
        openapi: 3.1.0
        info: {title: Things, version: '1'}
        security: []
        components:
          schemas:
            Envelope:
              type: object
              required: [code, message, requestId]
              properties: {code: {type: integer}, message: {type: string}, requestId: {type: string}}
        paths:
          /things/{id}:
            parameters: [{name: id, in: path, required: true, schema: {type: string}}]
            get:
              operationId: getThing
              responses:
                '200': {description: ok}
                '404': {description: no, x-error-codes: [40401], content: {application/json: {schema: {$ref: '#/components/schemas/Envelope'}}}}
            delete:
              operationId: deleteThing
              responses:
                '204': {description: done}
                '404': {description: no, content: {application/json: {schema: {$ref: '#/components/schemas/Envelope'}}}}
        """.write(toFile: directory + "/openapi.yaml", atomically: true, encoding: .utf8)
        let findings = ContractLinter.lint(try ContractSource(path: directory)).filter { $0.ruleID == "error-envelope" }
        #expect(findings.map(\.message) == ["DELETE /things/{id}: the 404 response names no x-error-codes"])
    }

    @Test func ourContractsFollowTheConventions() throws {
        let findings = ContractLinter.lint(try ContractSource(path: PipelineTests.root + "/contracts"))
        #expect(findings.filter { ConventionRules.descriptions[$0.ruleID ?? ""] != nil }.map(\.description) == [])
    }
}
