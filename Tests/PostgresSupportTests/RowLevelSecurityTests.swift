import Foundation
import PostgresNIO
import PostgresSupport
import Testing

@Suite("Row-level security through Database.withTransaction")
struct RowLevelSecurityTests {
    @Test func aUserSeesAndChangesOnlyTheirOwnRows() async throws {
        let set = try MigrationSet.load(directory: MigrationRunnerTests.directory)
        try await TestCluster.withDatabase { client, name in
            try await MigrationRunner(client: client, migrations: set).up()
            // The superuser bypasses row-level security, so the test works as an ordinary role.
            try await client.query("CREATE ROLE rls_app LOGIN")
            try await client.query("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO rls_app")
            try await client.query("GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO rls_app")
            let cluster = try TestCluster.shared.get()
            let appClient = PostgresClient(configuration: .init(unixSocketPath: cluster.socketPath, username: "rls_app", password: nil, database: name))
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await appClient.run() }
                defer { group.cancelAll() }
                let database = Database(client: appClient, connectionWait: TestCluster.connectionWait)
                let alice = UUID(), bob = UUID()
                try await database.withTransaction(.system) { connection in
                    for (id, email) in [(alice, "alice@example.com"), (bob, "bob@example.com")] {
                        try await connection.query("INSERT INTO users (id, email, password_hash, display_name) VALUES (\(id), \(email), 'x', 'U')", logger: database.logger)
                    }
                }
                let count = { (scope: AccessScope) async throws -> Int in
                    try await database.withTransaction(scope) { connection in
                        var total = 0
                        for try await n in try await connection.query("SELECT count(*)::int FROM users", logger: database.logger).decode(Int.self) { total = n }
                        return total
                    }
                }
                let seenByAlice = try await count(.user(alice))
                #expect(seenByAlice == 1)
                let seenBySystem = try await count(.system)
                #expect(seenBySystem == 2)
                let changed = try await database.withTransaction(.user(alice)) { connection in
                    var n = 0
                    let rows = try await connection.query("WITH c AS (UPDATE users SET display_name = 'hacked' WHERE id = \(bob) RETURNING 1) SELECT count(*)::int FROM c", logger: database.logger)
                    for try await value in rows.decode(Int.self) { n = value }
                    return n
                }
                #expect(changed == 0, "alice cannot change bob's row")
            }
        }
    }

    @Test func aSystemSessionPoolSeesEveryRowWithoutATransactionAndThePlainPoolNone() async throws {
        let set = try MigrationSet.load(directory: MigrationRunnerTests.directory)
        try await TestCluster.withDatabase { client, name in
            try await MigrationRunner(client: client, migrations: set).up()
            try await client.query("CREATE ROLE rls_session LOGIN")
            try await client.query("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO rls_session")
            try await client.query("GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO rls_session")
            let cluster = try TestCluster.shared.get()
            let configuration = PostgresClient.Configuration(unixSocketPath: cluster.socketPath, username: "rls_session", password: nil, database: name)
            let appClient = PostgresClient(configuration: configuration)
            let systemClient = PostgresClient(configuration: configuration.systemSession)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await appClient.run() }
                group.addTask { await systemClient.run() }
                defer { group.cancelAll() }
                let database = Database(client: appClient, systemClient: systemClient)
                let alice = UUID(), bob = UUID()
                // Two statements without a transaction: each commits on its own, in the system scope.
                try await database.withSystemStatements { context in
                    for (id, email) in [(alice, "alice@example.com"), (bob, "bob@example.com")] {
                        try await context.connection.query(
                            "INSERT INTO users (id, email, password_hash, display_name) VALUES (\(id), \(email), 'x', 'U')", logger: database.logger)
                    }
                    var open = ""
                    for try await state in try await context.connection.query("SELECT pg_current_xact_id_if_assigned()::text IS NULL", logger: database.logger).decode(Bool.self) {
                        open = state ? "none" : "open"
                    }
                    #expect(open == "none", "no transaction stays open between the statements")
                }
                let countOn = { (pool: PostgresClient) async throws -> Int in
                    var total = -1
                    for try await n in try await pool.query("SELECT count(*)::int FROM users", logger: database.logger).decode(Int.self) { total = n }
                    return total
                }
                let seenBySystemSession = try await countOn(systemClient)
                #expect(seenBySystemSession == 2)
                let seenWithoutScope = try await countOn(appClient)
                #expect(seenWithoutScope == 0, "a session of the plain pool sees nothing until a transaction sets its scope")
                let seenByAlice = try await database.withContext(.user(alice)) { context in
                    var total = -1
                    for try await n in try await context.connection.query("SELECT count(*)::int FROM users", logger: database.logger).decode(Int.self) { total = n }
                    return total
                }
                #expect(seenByAlice == 1)
            }
        }
    }
}
