import EmbeddedPostgres
import Foundation
import Logging
import PostgresNIO
import PostgresSupport

/// One embedded cluster per test process, shared by the suites; each test gets its own database.
enum TestCluster {
    /// How long a test's `Database` waits for a connection: on a loaded CI machine opening one can
    /// take longer than the production default of 5 s (tests of the wait set their own).
    static let connectionWait: Duration = .seconds(60)
    static let shared: Result<EmbeddedPostgres, EmbeddedPostgresError> = Result { () throws(EmbeddedPostgresError) -> EmbeddedPostgres in try EmbeddedPostgres.start() }
    nonisolated(unsafe) private static var counter = 0
    private static let lock = NSLockBox()

    /// A fresh, empty database and a running client for it; the client stops when `body` returns.
    static func withDatabase<Result: Sendable>(_ body: (PostgresClient, String) async throws -> Result) async throws -> Result {
        let cluster = try shared.get()
        let name = lock.withLock { () -> String in
            counter += 1
            return "test_\(getpid())_\(counter)"
        }
        try await cluster.createDatabase(name)
        return try await PostgresClient.withRunning(cluster.configuration(database: name), logger: Logger(label: "test-db")) { client in
            try await body(client, name)
        }
    }
}

extension Database {
    /// The same database seen through an ordinary role (no superuser, no BYPASSRLS), so row-level
    /// security is in force; the role's client stops when `body` returns.
    func asOrdinaryRole(database name: String, _ body: (Database) async throws -> Void) async throws {
        let role = "app_\(name)"
        try await client.query(PostgresQuery(unsafeSQL: "CREATE ROLE \(role) LOGIN NOSUPERUSER NOBYPASSRLS"))
        try await client.query(PostgresQuery(unsafeSQL: "GRANT ALL ON ALL TABLES IN SCHEMA public TO \(role)"))
        var configuration = try TestCluster.shared.get().configuration(database: name)
        configuration.username = role
        try await PostgresClient.withRunning(configuration, logger: Logger(label: role)) { roleClient in
            try await body(Database(client: roleClient, connectionWait: TestCluster.connectionWait))
        }
    }
}

/// A minimal lock for the database-name counter.
final class NSLockBox: @unchecked Sendable {
    private let lock = NSLock()
    func withLock<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }
}
