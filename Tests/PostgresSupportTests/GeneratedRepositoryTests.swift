import EmbeddedPostgres
import Foundation
import Logging
import PostgresNIO
import PostgresSupport
import Testing
import WatermarkDatabase

/// The repositories generated from contracts/db, on a real PostgreSQL 15 with the migrations applied.
@Suite("Generated repositories and named queries")
struct GeneratedRepositoryTests {
    static func withMigratedDatabase(_ body: (Database, String) async throws -> Void) async throws {
        let set = try MigrationSet.load(directory: MigrationRunnerTests.directory)
        try await TestCluster.withDatabase { client, name in
            try await MigrationRunner(client: client, migrations: set).up()
            try await body(Database(client: client, connectionWait: TestCluster.connectionWait), name)
        }
    }

    static func newUser(_ index: Int) -> NewUser {
        NewUser(email: "user\(index)@example.com", passwordHash: "hash", displayName: "User \(index)")
    }

    @Test func insertFindUpdateDelete() async throws {
        try await Self.withMigratedDatabase { database, _ in
            try await database.withTransaction(.system) { connection in
                let users = UserRepository(RepositoryContext(connection))
                let stored = try await users.insert(Self.newUser(1))
                #expect(stored.version == 1 && stored.roles == ["user"] && stored.status == .active)
                #expect(try await users.find(id: stored.id) == stored)

                var renamed = stored
                renamed.displayName = "Renamed"
                let updated = try await users.update(renamed)
                #expect(updated.version == 2 && updated.displayName == "Renamed" && updated.updatedAt >= stored.updatedAt)
                await #expect(throws: RepositoryError.versionConflict(table: "users", expected: 1)) { try await users.update(renamed) }

                #expect(try await users.delete(id: stored.id))
                #expect(try await users.delete(id: stored.id) == false)
                #expect(try await users.find(id: stored.id) == nil)
                await #expect(throws: RepositoryError.notFound(table: "users")) { try await users.update(updated) }
            }
        }
    }

    @Test func keysetPagesSurviveConcurrentInserts() async throws {
        try await Self.withMigratedDatabase { database, _ in
            let original = try await database.withTransaction(.system) { connection in
                let users = UserRepository(RepositoryContext(connection))
                var ids: [UUID] = []
                for index in 0..<7 { ids.append(try await users.insert(Self.newUser(index)).id) }
                return ids
            }
            var seen: [UUID] = []
            var cursor: KeysetCursor?
            var pages = 0
            repeat {
                let page = try await database.withTransaction(.system) { connection in
                    try await UserRepository(RepositoryContext(connection)).list(after: cursor, limit: 3)
                }
                seen += page.rows.map(\.id)
                cursor = page.next
                pages += 1
                // Another writer inserts between pages.
                _ = try await database.withTransaction(.system) { connection in
                    try await UserRepository(RepositoryContext(connection)).insert(Self.newUser(100 + pages))
                }
            } while cursor != nil && pages < 20
            #expect(Set(original).isSubset(of: Set(seen)), "every row that existed before paging started is seen")
            #expect(Set(seen).count == seen.count, "no row is seen twice")
            await #expect(throws: RepositoryError.invalidCursor) {
                try await database.withTransaction(.system) { connection in
                    try await UserRepository(RepositoryContext(connection)).list(after: try KeysetCursor("bm90LWEtY3Vyc29y", count: 1))
                }
            }
        }
    }

    @Test func rowLevelSecurityHidesOtherUsersRows() async throws {
        try await Self.withMigratedDatabase { database, name in
            // RLS applies to roles without BYPASSRLS: the test works as an ordinary role.
            let (alice, bob) = try await database.withTransaction(.system) { connection in
                let users = UserRepository(RepositoryContext(connection))
                return (try await users.insert(Self.newUser(1)), try await users.insert(Self.newUser(2)))
            }
            try await database.asOrdinaryRole(database: name) { asAlice in
                try await asAlice.withTransaction(.user(alice.id)) { (connection: PostgresConnection) async throws -> Void in
                    let users = UserRepository(RepositoryContext(connection))
                    #expect(try await users.find(id: bob.id) == nil)
                    #expect(try await users.find(id: alice.id)?.email == alice.email)
                    #expect(try await users.list().rows.map(\.id) == [alice.id])
                    #expect(try await users.delete(id: bob.id) == false)
                    var changed = bob
                    changed.displayName = "Hijacked"
                    await #expect(throws: RepositoryError.notFound(table: "users")) { try await users.update(changed) }
                }
            }
            let untouched = try await database.withTransaction(.system) { connection in
                try await UserRepository(RepositoryContext(connection)).find(id: bob.id)
            }
            #expect(untouched == bob)
        }
    }

    /// Every named query is PREPAREd; the parameter types PostgreSQL infers and the result columns
    /// it describes (psql's \gdesc) must be the ones the Swift functions were generated from.
    @Test func namedQueriesMatchWhatPostgreSQLDescribes() async throws {
        try await Self.withMigratedDatabase { database, name in
            #expect(NamedQueries.descriptors.count == 64)
            for (index, query) in NamedQueries.descriptors.enumerated() {
                try await database.client.withConnection { connection in
                    try await connection.query(PostgresQuery(unsafeSQL: "PREPARE q\(index) AS \(query.sql)"), logger: Logger(label: "test"))
                    let rows = try await connection.query("SELECT parameter_types::text[] FROM pg_prepared_statements WHERE name = \("q\(index)")", logger: Logger(label: "test"))
                    for try await types in rows.decode([String].self) {
                        #expect(types == query.parameterTypes, "\(query.name): parameter types")
                    }
                }
                let described = try Self.describe(query.sql, database: name)
                #expect(described == query.columns.map { "\($0.name)|\($0.type)" }, "\(query.name): result columns")
            }
        }
    }

    /// `name|type` per result column, as psql's `\gdesc` reports them.
    static func describe(_ sql: String, database: String) throws -> [String] {
        let cluster = try TestCluster.shared.get()
        let psql = try PostgresBinaries.locate().path("psql")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: psql)
        process.arguments = ["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", cluster.socketDirectory, "-U", cluster.superuser, "-d", database]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        try process.run()
        input.fileHandleForWriting.write(Data((sql + " \\gdesc\n").utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init).filter { !$0.isEmpty }
        return lines == ["The command has no result, or the result has no columns."] ? [] : lines
    }
}
