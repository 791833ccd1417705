import ContractGenCore
import Foundation
import Testing

/// `x-state-machine`: one declaration of a status enum's moves, from which the API enum and the
/// database enum of a column bound to it get the same generated moves, and against which the named
/// queries that move the state in SQL are checked — a contract where they disagree does not build.
@Suite("x-state-machine: the moves declared once")
struct StateMachineTests {
    @Test func aQueryMovingTasksFromAStateTheMachineForbidsFailsGeneration() throws {
        let directory = try AnalysisStageTests.contracts(
            changing: "db/queries/tasks.sql", "WHERE status = 'QUEUED' AND next_run_at", to: "WHERE status = 'SUCCEEDED' AND next_run_at")
        try AnalysisStageTests.expectTheSameErrors(directory, rule: "state-machine-sql")
        let errors = ContractLinter.lint(try ContractSource(path: directory)).filter { $0.severity == .error }.map(\.description)
        #expect(errors == [
            "\(directory)/db/queries/tasks.sql:18:18: error: query ClaimNextTasks moves tasks.status from 'SUCCEEDED' to 'PREPROCESSING', "
                + "which TaskStatus's x-state-machine does not allow [state-machine-sql]",
        ])
    }

    @Test func aMoveNamingNoStateOfTheEnumFailsGeneration() throws {
        let directory = try AnalysisStageTests.contracts(
            changing: "api/v1/tasks.yaml", "{from: QUEUED, to: PREPROCESSING, by: [worker]}", to: "{from: QUEUED, to: PREPROCESING, by: [worker]}")
        try AnalysisStageTests.expectTheSameErrors(directory, rule: "state-machine")
    }

    /// A contract of its own: items that are drafted, published and archived by editors.
    static func items(machine: String, queries: String) throws -> String {
        try PipelineTests.contractDirectory([
            "db/migrations/0001_items.up.sql": """
            CREATE TYPE item_state AS ENUM ('DRAFT', 'PUBLISHED', 'ARCHIVED');
            CREATE TABLE items (id uuid PRIMARY KEY, state item_state NOT NULL);
            """,
            "db/migrations/0001_items.down.sql": "DROP TABLE items; DROP TYPE item_state;",
            "db/queries/items.sql": queries,
            "openapi.yaml": """
            openapi: 3.1.0
            info: {title: Items, version: '1'}
            paths: {}
            components:
              schemas:
                Item:
                  type: object
                  x-table: items
                  required: [id, state]
                  properties:
                    id: {type: string, format: uuid}
                    state: {$ref: '#/components/schemas/ItemState'}
                ItemState:
                  type: string
                  enum: [DRAFT, PUBLISHED, ARCHIVED]
            \(machine)
            """,
        ])
    }

    static let editorial = """
              x-state-machine:
                initial: [DRAFT]
                moves:
                  - {from: DRAFT, to: PUBLISHED, by: [editor]}
                  - {from: [DRAFT, PUBLISHED], to: ARCHIVED, by: [editor, janitor]}
        """

    @Test func bothEnumsGetTheMovesAndTheQueriesAreCheckedAtTheirStatement() throws {
        let directory = try Self.items(machine: Self.editorial, queries: """
            -- name: Publish :execrows
            UPDATE items SET state = 'PUBLISHED' WHERE id = $1 AND state = 'DRAFT';

            -- name: Unpublish :execrows
            UPDATE items SET state = 'DRAFT' WHERE id = $1 AND state IN ('PUBLISHED', 'ARCHIVED');

            -- name: ArchiveAll :execrows
            UPDATE items
            SET state = 'ARCHIVED';

            -- name: Move :execrows
            UPDATE items SET state = $2 WHERE id = $1;
            """)
        let source = try ContractSource(path: directory)
        let errors = ContractLinter.lint(source).filter { $0.severity == .error }.map { "\($0.location.map { "\($0.line):\($0.column)" } ?? "?") \($0.message)" }
        #expect(errors == [
            "5:26 query Unpublish moves items.state from 'ARCHIVED' to 'DRAFT', which ItemState's x-state-machine does not allow",
            "5:26 query Unpublish moves items.state from 'PUBLISHED' to 'DRAFT', which ItemState's x-state-machine does not allow",
            "9:13 query ArchiveAll moves items.state to 'ARCHIVED' from any state; say from which (WHERE state = '…' or IN (…)) "
                + "so the move can be checked against ItemState's x-state-machine",
        ])

        // Without the wrong queries it generates: the API enum and the database enum get the same moves.
        try "-- name: Publish :execrows\nUPDATE items SET state = 'PUBLISHED' WHERE id = $1 AND state = 'DRAFT';\n"
            .write(toFile: directory + "/db/queries/items.sql", atomically: true, encoding: .utf8)
        let (api, apiDiagnostics) = ContractPipeline.generate(source: source, templatesDirectory: nil, options: .init(shards: 1))
        #expect(apiDiagnostics.filter { $0.severity == .error }.isEmpty)
        let (database, _) = ContractPipeline.generateDatabase(source: source, templatesDirectory: nil, options: .init())
        let types = try #require(api?["API_0.swift"])
        let enums = try #require(database?["DatabaseEnums.swift"])
        for (text, type) in [(types, "ItemState"), (enums, "ItemStateEnum")] {
            #expect(text.contains("extension \(type) {"))
            #expect(text.contains("public static let initialStates: Set<\(type)> = [.draft]"))
            #expect(text.contains("public static let finalStates: Set<\(type)> = [.archived]"))
            #expect(text.contains("        case (.draft, .published): [.editor]\n        case (.draft, .archived): [.editor, .janitor]\n"
                + "        case (.published, .archived): [.editor, .janitor]\n        default: []\n"))
        }
    }

    @Test func aMachineMustNameTheEnumsValuesAndReachEachOfThem() throws {
        let unreachable = try Self.items(machine: """
                  x-state-machine:
                    initial: [DRAFT]
                    moves:
                      - {from: DRAFT, to: PUBLISHED, by: [editor]}
                      - {from: ARCHIVED, to: DRAFT, by: []}
            """, queries: "")
        #expect(ContractLinter.lint(try ContractSource(path: unreachable)).filter { $0.ruleID == "state-machine" }.map(\.message) == [
            "a move needs at least one actor in `by`",
        ])
        let notReached = try Self.items(machine: """
                  x-state-machine:
                    initial: [DRAFT]
                    moves:
                      - {from: DRAFT, to: PUBLISHED, by: [editor]}
            """, queries: "")
        #expect(ContractLinter.lint(try ContractSource(path: notReached)).filter { $0.ruleID == "state-machine" }.map(\.message) == [
            "ItemState can never become 'ARCHIVED': no move from an initial state leads there",
        ])
    }
}
