@testable import ContractGenCore
import Foundation
import Testing
import Yams

@Suite("contract-lint: structure, examples and suppressions")
struct LintStructureTests {
    static let fixtures = PipelineTests.root + "/Tests/Fixtures/Lint"

    /// Findings of `rules` for a contract, as `rule: message` in file and line order.
    static func findings(_ path: String, rules: Set<String>) throws -> [String] {
        ContractLinter.lint(try ContractSource(path: path))
            .filter { rules.contains($0.ruleID ?? "") }
            .map { "\($0.ruleID!): \($0.message)" }
    }

    static var structureRules: Set<String> {
        Set(StructureRules.descriptions.keys).union(["ref-allowed"])
    }

    @Test func theFailingFixtureBreaksEveryStructuralRule() throws {
        let found = try Self.findings(Self.fixtures + "/failing/openapi.yaml", rules: Self.structureRules)
        #expect(found == [
            "ref-allowed: $ref is not allowed at /info/description (OpenAPI allows references only to schemas, parameters, responses, request bodies, headers, examples, links, callbacks and path items)",
            "operation-id-case: operationId 'list_notes' is not camelCase",
            "example-valid: the example is less than the minimum 1",
            "parameters-unique: parameter 'limit' in query is declared twice",
            "link-valid: link 'First' of GET /notes 200: $response.body#/0/slug is not a place the 200 response's schema has",
            "link-valid: link 'First' of GET /notes 200 sets 'extra', which getNote does not take",
            "link-valid: link 'Gone' of GET /notes 200 names operationId 'readNote', which no operation has",
            "example-valid: the example at /0/id expected string, found integer",
            "example-valid: the example at /0/title is longer than 3 characters",
            "operation-summary: GET /notes/{noteId} has no summary",
            "operation-4xx: GET /notes/{noteId} declares no 4xx response",
            "tags-defined: GET /notes/{noteId} uses tag 'drafts', which the top-level tags do not declare",
            "path-trailing-slash: path '/notes/{id}/' ends with a slash",
            "path-identical: path '/notes/{id}/' is the same template as '/notes/{noteId}'",
            "path-query: path '/{kind}/archive?all=true' carries a query string; declare query parameters instead",
            "path-ambiguous: path '/{kind}/archive?all=true' and '/notes/{noteId}' can match the same request",
            "path-ambiguous: path '/{kind}/archive?all=true' and '/notes/{id}/' can match the same request",
            "schema-keywords: enum lists 'low' twice",
            "enum-type: 2 is not of the schema's type string",
            "schema-keywords: $recursiveAnchor must be an anchor name (in JSON Schema 2020-12, `$recursiveAnchor: true` is `$dynamicAnchor: <name>`)",
            "schema-keywords: required names 'name' twice",
            "schema-keywords: minLength must be a non-negative integer",
            "unused-component: components/schemas/Unused is never referenced",
            "unused-component: components/schemas/Orphan of \(Self.fixtures)/failing/schemas.yaml is never referenced",
        ])
        // Every structural rule has a failing case here.
        let covered = Set(found.map { String($0.prefix { $0 != ":" }) })
        #expect(covered == Self.structureRules)
    }

    @Test func findingsPointAtTheOffendingNode() throws {
        let findings = ContractLinter.lint(try ContractSource(path: Self.fixtures + "/failing/openapi.yaml"))
        let title = try #require(findings.first { $0.message.contains("/0/title") })
        #expect(title.location == SourceLocation(file: Self.fixtures + "/failing/openapi.yaml", line: 27, column: 40))
        #expect(title.severity == .error)
        let reference = try #require(findings.first { $0.ruleID == "ref-allowed" })
        #expect(reference.severity == .error, "the generator warns; the gate fails")
        #expect(reference.location?.line == 6)
    }

    @Test func parameterExamplesMayBeWrittenAsText() throws {
        let directory = try PipelineTests.temporaryDirectory()
        try """
        openapi: 3.1.0
        info: {title: Flags, version: '1'}
        tags: [{name: flags}]
        security: []
        paths:
          /flags:
            get:
              operationId: listFlags
              tags: [flags]
              summary: List flags
              parameters:
                - {name: active, in: query, schema: {type: boolean}, example: 'true'}
                - {name: page, in: query, schema: {type: integer, maximum: 9}, examples: {first: {value: '1'}, far: {value: '12'}}}
                - {name: mode, in: query, schema: {type: boolean}, example: 'yes'}
              responses:
                '200': {description: The flags.}
                '400': {description: Bad request.}
        """.write(toFile: directory + "/openapi.yaml", atomically: true, encoding: .utf8)
        let findings = ContractLinter.lint(try ContractSource(path: directory)).filter { $0.ruleID == "example-valid" }
        #expect(findings.map(\.message) == ["example 'far' is greater than the maximum 9", "the example expected boolean, found string"])
    }

    @Test func thePassingFixtureHasNoFindingsAtAll() throws {
        let findings = ContractLinter.lint(try ContractSource(path: Self.fixtures + "/passing/openapi.yaml"))
        #expect(findings.map(\.description) == [])
    }

    @Test func anchorNamesFollowJSONSchema2020() {
        #expect(["node", "_a.b-1", "Tree2"].allSatisfy(StructureRules.isAnchorName))
        #expect(!["", "1a", "a b", "-a", "é"].contains(where: StructureRules.isAnchorName))
    }

    // MARK: - Unknown fields

    @Test func everyMisspeltFieldOfAnOpenAPIObjectIsReportedAtItsKey() throws {
        let directory = try PipelineTests.temporaryDirectory()
        try """
        openapi: 3.1.0
        info: {title: Notes, version: '1', licence: {name: MIT}, x-audience: public}
        tags: [{name: notes, descripton: Notes.}]
        security: []
        paths:
          /notes/{id}:
            get:
              operationID: getNote
              operationId: getNote
              tags: [notes]
              summary: One note
              parameters:
                - {name: id, in: path, required: true, schema: {type: string, x-anything: 1, customKeyword: ok}}
                - {name: view, in: query, requried: true, schema: {type: string}}
                - {$ref: '#/components/parameters/Trace', description: A reference may be described.}
              responses:
                '200':
                  description: The note.
                  content: {application/json: {schema: {type: object}, exemple: {}}}
                '2OO': {description: Misspelt status.}
                '4XX': {description: Any client error.}
                x-ok: {description: An extension.}
        components:
          parameters:
            Trace: {name: trace, in: header, schema: {type: string}}
          securitySchemes:
            bearer: {type: http, scheme: bearer, flows: {implicit: {authorizationUrl: 'https://a', scopes: {}, tokenURL: x}}}
        """.write(toFile: directory + "/openapi.yaml", atomically: true, encoding: .utf8)
        let path = directory + "/openapi.yaml"
        let findings = ContractLinter.lint(try ContractSource(path: path)).filter { $0.ruleID == "unknown-field" }
        #expect(findings.map { "\($0.severity.rawValue) \($0.location!.line):\($0.location!.column) \($0.message)" } == [
            "error 2:36 'licence' is not a field of an info object (extensions start with x-)",
            "error 3:22 'descripton' is not a field of a tag object (extensions start with x-)",
            "error 8:7 'operationID' is not a field of an operation object (extensions start with x-)",
            "error 14:35 'requried' is not a field of a parameter object (extensions start with x-)",
            "error 19:64 'exemple' is not a field of a media type object (extensions start with x-)",
            "error 20:9 '2OO' is not a status code (100–599, 1XX–5XX or default) in responses",
            "error 27:104 'tokenURL' is not a field of an OAuth flow object (extensions start with x-)",
        ])
        // The generator warns and goes on; the gate fails.
        let (_, generatorDiagnostics) = ContractPipeline.load(try ContractSource(path: path))
        #expect(generatorDiagnostics.filter { $0.ruleID == "unknown-field" }.map(\.severity) == Array(repeating: .warning, count: 7))
    }

    // MARK: - Suppressions

    static func suppressedContract(_ ignore: String) throws -> String {
        let directory = try PipelineTests.temporaryDirectory()
        try """
        openapi: 3.1.0
        info: {title: Hooks, version: '1'}
        tags: [{name: hooks}]
        security: []
        paths:
          /hooks/payments:
            post:
        \(ignore)
              operationId: receivePayment
              tags: [hooks]
              summary: A payment provider's callback
              responses:
                '204': {description: Received.}
                '400': {description: Not a callback we know.}
        """.write(toFile: directory + "/openapi.yaml", atomically: true, encoding: .utf8)
        return directory + "/openapi.yaml"
    }

    @Test func anExplainedSuppressionSilencesItsRuleInsideItsObject() throws {
        let ignore = "      x-lint-ignore:\n        idempotency-key: The provider retries with the same event id, which is the key."
        let findings = ContractLinter.lint(try ContractSource(path: try Self.suppressedContract(ignore)))
        #expect(findings.map(\.description) == [])
    }

    @Test func anUnexplainedSuppressionIsAFindingItself() throws {
        let findings = ContractLinter.lint(try ContractSource(path: try Self.suppressedContract("      x-lint-ignore: [idempotency-key]")))
        #expect(findings.map { "\($0.severity.rawValue) \($0.ruleID ?? ""): \($0.message)" } == [
            "error lint-ignore-reason: x-lint-ignore of idempotency-key gives no reason (write `idempotency-key: <why>`)",
        ])
        #expect(findings.first?.location?.line == 8)
    }

    @Test func aSuppressionThatSilencesNothingIsReported() throws {
        let ignore = "      x-lint-ignore:\n        idempotency-key: The key is the event id.\n        if-match: Nothing to match."
        let findings = ContractLinter.lint(try ContractSource(path: try Self.suppressedContract(ignore)))
        #expect(findings.map { "\($0.ruleID ?? ""): \($0.message)" } == ["lint-ignore-unused: x-lint-ignore of if-match silences nothing here"])
    }

    @Test func aSuppressionDoesNotReachOutsideItsObject() throws {
        let path = try Self.suppressedContract("      x-lint-ignore:\n        idempotency-key: The key is the event id.")
        let text = try String(contentsOfFile: path, encoding: .utf8) + """

          /hooks/refunds:
            post:
              operationId: receiveRefund
              tags: [hooks]
              summary: A refund callback
              responses:
                '204': {description: Received.}
                '400': {description: Not a callback we know.}
        """
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let findings = ContractLinter.lint(try ContractSource(path: path))
        #expect(findings.map(\.message) == ["POST /hooks/refunds changes state but does not require Idempotency-Key"])
    }

    // MARK: - Example validation

    static func violations(_ value: String, _ schema: String) throws -> [String] {
        let root = try #require(try Yams.compose(yaml: "openapi: 3.1.0\ncomponents: {schemas: {Id: {type: string, format: uuid}}}\n", .basic))
        let document = BundledDocument(root: root, sourceMap: SourceMap(rootFile: "x.yaml"), rootFile: "x.yaml", files: ["x.yaml"], openAPIVersion: "3.1.0")
        var evaluator = SchemaEvaluator(document: document)
        let valueNode = try #require(try Yams.compose(yaml: value, .basic))
        let schemaNode = try #require(try Yams.compose(yaml: schema, .basic))
        return evaluator.violations(of: valueNode.literal, against: schemaNode).map { "\($0.instance) \($0.reason)" }
    }

    @Test func theEvaluatorChecksTheKeywordsContractsUse() throws {
        #expect(try Self.violations("{id: 1, extra: x}", "{type: object, required: [id, name], additionalProperties: false, properties: {id: {$ref: '#/components/schemas/Id'}}}") == [
            "/name is required but missing",
            "/extra is not a declared property (additionalProperties: false)",
            "/id expected string, found integer",
        ])
        #expect(try Self.violations("[1, 1, 2.5]", "{type: array, maxItems: 2, uniqueItems: true, items: {type: integer, multipleOf: 1}}") == [
            " has more than 2 items", " item 1 repeats an earlier item (uniqueItems)", "/2 expected integer, found number",
        ])
        #expect(try Self.violations("abc", "{type: string, minLength: 4, pattern: '^[0-9]+$', enum: [abcd]}") == [
            " must be one of 'abcd'", " is shorter than 4 characters", " does not match the pattern ^[0-9]+$",
        ])
        #expect(try Self.violations("5", "{type: [integer, 'null'], exclusiveMaximum: 5}") == [" must be less than 5"])
        #expect(try Self.violations("null", "{type: [integer, 'null'], exclusiveMaximum: 5}") == [])
        #expect(try Self.violations("not-a-uuid", "{$ref: '#/components/schemas/Id'}") == [" is not a valid uuid"])
        #expect(try Self.violations("{kind: a}", "{oneOf: [{type: object}, {type: object, required: [kind]}]}") == [
            " matches 2 of the oneOf schemas (exactly one is allowed)",
        ])
        #expect(try Self.violations("'2026-11-26T10:00:00Z'", "{type: string, format: date-time}") == [])
        for (format, good, bad) in [
            ("uuid", "8d7f6c1e-2b3a-4c5d-9e8f-0a1b2c3d4e5f", "8d7f6c1e"), ("date", "2026-11-26", "26.11.2026"),
            ("email", "ada@example.com", "ada.example.com"), ("uri", "https://a/b", "/relative"), ("ipv4", "10.0.0.255", "10.0.0.256"),
            ("date-time", "2026-11-26T10:00:00.5+01:00", "2026-11-26 10:00"),
        ] {
            #expect(try Self.violations("'\(good)'", "{type: string, format: \(format)}") == [], "\(good)")
            #expect(try Self.violations("'\(bad)'", "{type: string, format: \(format)}") == [" is not a valid \(format)"], "\(bad)")
        }
        #expect(try Self.violations("1.0", "{const: 1}") == [], "1 and 1.0 are the same JSON number")
    }
}
