import Logging
import PostgresNIO
import Synchronization

/// The service's database: a pooled PostgresNIO client and transactions scoped for row-level security.
public struct Database: Sendable {
    public let client: PostgresClient
    public let logger: Logger
    /// How long a transaction waits for a connection before it fails with `DatabaseUnavailable`
    /// (the pool keeps retrying a lost server in the background; callers should not hang on it);
    /// nil waits as long as the pool does.
    public let connectionWait: Duration?

    public init(client: PostgresClient, logger: Logger = Logger(label: "database"), connectionWait: Duration? = .seconds(5)) {
        self.client = client
        self.logger = logger
        self.connectionWait = connectionWait
    }

    /// Runs `body` in a transaction that sees only what `scope` may see: it sets `app.user_id` or
    /// `app.role` with `set_config(…, true)` (transaction-local, like `SET LOCAL`), so the policies of
    /// every user-owned table apply. Commits when `body` returns, rolls back when it throws.
    public func withTransaction<Result: Sendable>(
        _ scope: AccessScope, _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        guard let connectionWait else { return try await transaction(scope, body) }
        // The transaction runs in a child task beside a timer that fails the wait for a connection
        // (only the wait: once connected, the body takes as long as it takes). The caller awaits
        // the group, so `body` never runs concurrently with it.
        return try await withoutActuallyEscaping(body) { body in
            nonisolated(unsafe) let body = body
            let connected = ConnectedFlag()
            return try await withThrowingTaskGroup(of: Result?.self) { group in
                group.addTask {
                    try await transaction(scope) { connection in
                        connected.value.store(true, ordering: .releasing)
                        return try await body(connection)
                    }
                }
                group.addTask {
                    try await Task.sleep(for: connectionWait)
                    guard connected.value.load(ordering: .acquiring) else { throw DatabaseUnavailable(waited: connectionWait) }
                    return nil
                }
                while let next = try await group.next() {
                    if let result = next {
                        group.cancelAll()
                        return result
                    }
                }
                throw CancellationError()
            }
        }
    }

    /// `withTransaction` handing `body` the transaction's `RepositoryContext` (its connection and
    /// this database's logger), which generated repositories and named queries run on.
    public func withContext<Result: Sendable>(
        _ scope: AccessScope, _ body: (RepositoryContext) async throws -> Result
    ) async throws -> Result {
        try await withTransaction(scope) { connection in
            try await body(RepositoryContext(connection, logger: logger))
        }
    }

    private func transaction<Result: Sendable>(
        _ scope: AccessScope, _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        do {
            return try await client.withTransaction(logger: logger) { connection in
                switch scope {
                case .user(let id):
                    try await connection.query("SELECT set_config('app.user_id', \(id.uuidString.lowercased()), true)", logger: logger)
                case .system:
                    try await connection.query("SELECT set_config('app.role', 'system', true)", logger: logger)
                }
                return try await body(connection)
            }
        } catch let error as PostgresTransactionError {
            throw error.closureError ?? error.commitError ?? error
        }
    }
}

/// No database connection could be had within `Database.connectionWait`: the server is down or
/// unreachable, or every connection stayed busy.
public struct DatabaseUnavailable: Error, CustomStringConvertible {
    public let waited: Duration
    public var description: String { "no database connection within \(waited)" }
}

/// Set once a transaction has its connection.
private final class ConnectedFlag: Sendable {
    let value = Atomic<Bool>(false)
}
