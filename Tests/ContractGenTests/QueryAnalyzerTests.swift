@testable import ContractGenCore
import Foundation
import Testing

@Suite("Named queries → typed signatures")
struct QueryAnalyzerTests {
    static let catalog = CatalogLoader.load(migrationsDirectory: CatalogTests.migrations).0

    static func analyze(_ text: String) -> ([NamedQuery], [String]) {
        var diagnostics = DiagnosticCollector()
        let entries = QueryFileParser.parse(text, file: "q.sql", diagnostics: &diagnostics)
        var analyzer = QueryAnalyzer(catalog: catalog)
        let queries = entries.compactMap { analyzer.analyze($0, script: Array(text.unicodeScalars)) }
        return (queries, (diagnostics.diagnostics + analyzer.diagnostics.diagnostics).map(\.description))
    }

    static func signature(_ query: NamedQuery) -> String {
        let parameters = query.parameters.map { "\($0.name): \($0.type)\($0.nullable ? "?" : "")" }
        let columns = query.columns.map { "\($0.name): \($0.type)\($0.nullable ? "?" : "")" }
        return "(\(parameters.joined(separator: ", "))) -> (\(columns.joined(separator: ", ")))"
    }

    @Test func everyContractQueryIsTyped() throws {
        let (queries, diagnostics) = QueryLoader.load(queriesDirectory: PipelineTests.root + "/contracts/db/queries", catalog: Self.catalog)
        #expect(diagnostics.isEmpty, "\(diagnostics.map(\.description))")
        #expect(queries.count == 64)
        let byName = Dictionary(uniqueKeysWithValues: queries.map { ($0.name, $0) })
        let claim = try #require(byName["ClaimNextTasks"])
        #expect(claim.kind == .many && claim.columns.count == Self.catalog.table("tasks")!.columns.count)
        #expect(claim.parameters.map(\.type.name) == ["text", "bigint", "double precision", "text"])
        let recover = try #require(byName["LockExpiredLeases"])
        #expect(recover.kind == .many && recover.columns.count == Self.catalog.table("tasks")!.columns.count)
        #expect(recover.parameters.map(\.type.name) == ["bigint"])
        let byEmail = try #require(byName["FindUserByEmail"])
        #expect(Self.signature(byEmail).hasPrefix("(email: text) -> (id: uuid, email: text, "), "a `-- params:` name for a parameter inside a function call")
        let list = try #require(byName["ListUserTasks"])
        #expect(list.parameters.map { "\($0.type)\($0.nullable ? "?" : "")" } == ["uuid", "task_status?", "timestamp with time zone?", "uuid", "bigint"])
    }

    @Test func anUpdateThroughACTEReturnsColumnsOfTheTableAndTheCTE() throws {
        let (queries, diagnostics) = Self.analyze("""
        -- name: RecoverExpiredLeases :many
        WITH expired AS (
            SELECT id, status AS previous_status FROM tasks
            WHERE lease_owner IS NOT NULL AND lease_expires_at < now()
            ORDER BY lease_expires_at LIMIT $1 FOR UPDATE SKIP LOCKED
        )
        UPDATE tasks AS t SET status = 'QUEUED', lease_owner = NULL, version = t.version + 1
        FROM expired WHERE t.id = expired.id
        RETURNING t.id, t.user_id, expired.previous_status, t.progress, t.attempt, t.version;
        """)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        let recover = try #require(queries.first)
        #expect(Self.signature(recover) == "(limit: bigint) -> (id: uuid, user_id: uuid, previous_status: task_status, progress: smallint, attempt: integer, version: bigint)")
    }

    @Test func inferenceRules() {
        let (queries, diagnostics) = Self.analyze("""
        -- name: A :one
        -- params: owner, since
        SELECT t.id, a.file_name AS name, count(*) OVER () AS total, coalesce(t.progress, 0) AS p
        FROM tasks AS t LEFT JOIN assets a ON a.id = t.asset_id
        WHERE t.user_id = $1 AND t.created_at > $2 AND t.status IN ('QUEUED', $3);

        -- name: B :execrows
        UPDATE tasks SET lease_owner = $2, progress = $3 WHERE id = ANY($1);

        -- name: C :many
        INSERT INTO task_events (task_id, user_id, sequence, status, progress, attempt, error_code)
        VALUES ($1, $2, 1, 'QUEUED', 0, 0, $3)
        RETURNING id, sequence + 0 AS next;
        """)
        #expect(diagnostics == ["q.sql:13:15: error: cannot infer the type of `sequence + 0`; add a cast: (…)::type AS name [sql-query]"])
        #expect(queries.map(Self.signature) == [
            "(owner: uuid, since: timestamp with time zone, status: task_status) -> (id: uuid, name: text?, total: bigint, p: smallint)",
            "(id: uuid[], leaseOwner: text?, progress: smallint) -> ()",
        ])
    }

    @Test func aParameterNothingNamesIsReported() {
        let unnamed = Self.analyze("-- name: Renew :execrows\nUPDATE tasks SET heartbeat_at = now() WHERE id = $1 AND $2::boolean;\n")
        #expect(unnamed.0.first.map(Self.signature) == "(id: uuid, p2: boolean) -> ()", "\(unnamed.1)")
        #expect(unnamed.1.contains { $0.hasPrefix("q.sql:2:1:") && $0.contains("warning: query Renew: nothing names $2") && $0.hasSuffix("[sql-param-name]") }, "\(unnamed.1)")
        let named = Self.analyze(
            "-- name: Renew :execrows\n-- params: id, stillRunning\nUPDATE tasks SET heartbeat_at = now() WHERE id = $1 AND $2::boolean;\n")
        #expect(named.0.first.map(Self.signature) == "(id: uuid, stillRunning: boolean) -> ()" && named.1.isEmpty, "\(named.1)")
    }

    @Test func problemsPointAtTheQuery() {
        let (_, diagnostics) = Self.analyze("""
        -- name: NoType :one
        SELECT $1 AS x;
        -- name: Missing :many
        SELECT * FROM nowhere;
        -- name: Twice :exec
        DELETE FROM tasks WHERE id = $2;
        -- name: Rows :exec
        DELETE FROM tasks WHERE id = $1 RETURNING id;
        SELECT 1;
        -- name: bad name :one
        """)
        #expect(diagnostics == [
            "q.sql:10:1: error: a query header is `-- name: Name :one|:many|:exec|:execrows` [sql-query]",
            "q.sql:9:1: error: query Rows has more than one statement; give each its own header [sql-query]",
            "q.sql:2:8: error: cannot infer the type of `$1`; add a cast: (…)::type AS name [sql-query]",
            "q.sql:4:15: error: relation nowhere does not exist [sql-query]",
            "q.sql:6:1: error: $1 is never used; number the parameters $1, $2, … without gaps [sql-query]",
            "q.sql:8:1: error: a :exec query returns no rows; remove RETURNING or make it :one or :many [sql-query]",
        ])
    }
}
