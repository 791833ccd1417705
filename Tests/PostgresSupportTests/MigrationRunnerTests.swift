import Foundation
import Logging
import PostgresNIO
import PostgresSupport
import Testing
import WatermarkDatabase

@Suite("Migrations runner on a real PostgreSQL 15")
struct MigrationRunnerTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    static let directory = root + "/contracts/db/migrations"

    static func tables(_ client: PostgresClient) async throws -> [String] {
        var names: [String] = []
        let rows = try await client.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'schema_migrations' ORDER BY 1")
        for try await name in rows.decode(String.self) { names.append(name) }
        return names
    }

    /// The binary carries the migrations (the service needs no checkout to start); they are the
    /// directory's, byte for byte, so a database migrated from either accepts the other.
    @Test func theCompiledInMigrationsAreTheDirectorysExactly() throws {
        let set = try MigrationSet.load(directory: Self.directory)
        let compiled = DatabaseMigrations.all.migrations
        #expect(compiled.map(\.version) == set.migrations.map(\.version))
        #expect(compiled.map(\.name) == set.migrations.map(\.name))
        for (embedded, file) in zip(compiled, set.migrations) {
            #expect(embedded.up == file.up, "\(file.name).up.sql")
            #expect(embedded.down == file.down, "\(file.name).down.sql")
        }
    }

    @Test func upStatusDownUp() async throws {
        let set = try MigrationSet.load(directory: Self.directory)
        #expect(set.migrations.map(\.version) == Array(1...set.migrations.count))
        try await TestCluster.withDatabase { client, _ in
            let runner = MigrationRunner(client: client, migrations: set)
            let applied = try await runner.up()
            #expect(applied.count == set.migrations.count)
            let all = try await Self.tables(client)
            #expect(all.contains("tasks") && all.contains("usage_ledger") && all.contains("audit_logs"))
            let nothingPending = try await runner.up().isEmpty
            #expect(nothingPending, "a second run applies nothing")
            let allApplied = try await runner.status().allSatisfy { $0.appliedAt != nil }
            #expect(allApplied)

            let reverted = try await runner.down(to: 2)
            #expect(reverted.map(\.version) == Array((3...set.migrations.count).reversed()))
            let tablesAt2 = try await Self.tables(client)
            #expect(tablesAt2 == ["payment_callbacks", "payments", "plans", "sessions", "subscriptions", "users"])
            let pendingAt2 = try await runner.status().filter { $0.appliedAt == nil }.map(\.version)
            #expect(pendingAt2 == Array(3...set.migrations.count))

            try await runner.down(to: 0)
            let tablesAt0 = try await Self.tables(client)
            #expect(tablesAt0.isEmpty)
            try await runner.up(to: 3)
            let appliedAt3 = try await runner.status().filter { $0.appliedAt != nil }.map(\.version)
            #expect(appliedAt3 == [1, 2, 3])
            try await runner.up()
            let tablesAgain = try await Self.tables(client)
            #expect(tablesAgain == all, "up → down → up gives the same tables")
        }
    }

    @Test func anEditedAppliedMigrationIsRefused() async throws {
        let set = try MigrationSet.load(directory: Self.directory)
        try await TestCluster.withDatabase { client, _ in
            try await MigrationRunner(client: client, migrations: set).up(to: 1)
            var edited = set.migrations
            edited[0] = Migration(version: 1, name: edited[0].name, up: edited[0].up + "\n-- edited\n", down: edited[0].down)
            await #expect {
                try await MigrationRunner(client: client, migrations: MigrationSet(migrations: edited)).up()
            } throws: { error in
                (error as? MigrationError).map { "\($0)" }?.contains("was changed after it was applied") == true
            }
        }
    }

    @Test func aFailingMigrationRollsBackAndSaysWhere() async throws {
        let broken = MigrationSet(migrations: [
            Migration(version: 1, name: "ok", up: "CREATE TABLE a (x int);", down: "DROP TABLE a;"),
            Migration(version: 2, name: "broken", up: "CREATE TABLE b (x int);\nALTER TABLE nowhere ADD COLUMN y int;", down: "DROP TABLE b;"),
        ])
        try await TestCluster.withDatabase { client, _ in
            let runner = MigrationRunner(client: client, migrations: broken)
            await #expect {
                try await runner.up()
            } throws: { error in
                let text = (error as? MigrationError).map { "\($0)" } ?? ""
                return text.contains("migration 2 (broken) up failed") && text.contains("nowhere")
            }
            let tablesLeft = try await Self.tables(client)
            #expect(tablesLeft == ["a"], "migration 2 left nothing behind")
            let appliedFlags = try await runner.status().map { $0.appliedAt != nil }
            #expect(appliedFlags == [true, false])
        }
    }

    @Test func concurrentRunnersApplyEachMigrationOnce() async throws {
        let set = try MigrationSet.load(directory: Self.directory)
        try await TestCluster.withDatabase { client, _ in
            let counts = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<4 {
                    group.addTask { try await MigrationRunner(client: client, migrations: set).up().count }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(counts.reduce(0, +) == set.migrations.count, "every migration applied exactly once: \(counts)")
            let rows = try await client.query("SELECT count(*)::int FROM schema_migrations")
            for try await count in rows.decode(Int.self) { #expect(count == set.migrations.count) }
        }
    }

    @Test func badDirectoriesAreReportedClearly() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("migrations-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try "SELECT 1;".write(toFile: directory + "/0001_first.up.sql", atomically: true, encoding: .utf8)
        #expect(throws: MigrationError.self) { try MigrationSet.load(directory: directory) }
        try "SELECT 1;".write(toFile: directory + "/0001_first.down.sql", atomically: true, encoding: .utf8)
        try "SELECT 1;".write(toFile: directory + "/0003_third.up.sql", atomically: true, encoding: .utf8)
        try "SELECT 1;".write(toFile: directory + "/0003_third.down.sql", atomically: true, encoding: .utf8)
        do {
            _ = try MigrationSet.load(directory: directory)
            Issue.record("a gap was accepted")
        } catch {
            #expect("\(error)" == "migration versions must be 1, 2, 3, … without gaps: expected 2, found 3")
        }
    }
}
