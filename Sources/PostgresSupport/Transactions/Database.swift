import Logging
import PostgresNIO
import Synchronization

/// The service's database: pooled PostgresNIO clients and transactions scoped for row-level security.
///
/// `client` is the pool whose sessions see nothing until a transaction sets its scope. The optional
/// `systemClient` is a second pool whose sessions start in the system scope (`app.role = 'system'`
/// as a startup parameter, see `PostgresClient.Configuration.systemSession`): system work on it
/// needs no `set_config` round trip, and a single statement needs no transaction at all — what
/// the task workers do for every stage change.
public struct Database: Sendable {
    public let client: PostgresClient
    /// The system-scope pool, when there is one; without it system work runs on `client`.
    public let systemClient: PostgresClient?
    public let logger: Logger
    /// How long a transaction waits for a connection before it fails with `DatabaseUnavailable`
    /// (the pool keeps retrying a lost server in the background; callers should not hang on it);
    /// nil waits as long as the pool does.
    public let connectionWait: Duration?
    /// The gate requests pass before they take a connection (nil: none), and how long one waits
    /// for its turn before it is refused with `DatabaseOverloaded`.
    public let admission: ConnectionAdmission?
    public let admissionWait: Duration

    public init(
        client: PostgresClient, systemClient: PostgresClient? = nil, logger: Logger = Logger(label: "database"),
        connectionWait: Duration? = .seconds(5), admission: ConnectionAdmission? = nil, admissionWait: Duration = .seconds(10)
    ) {
        self.client = client
        self.systemClient = systemClient
        self.logger = logger
        self.connectionWait = connectionWait
        self.admission = admission
        self.admissionWait = admissionWait
    }

    /// This database with every transaction passing `admission` first (for the request path; the
    /// workers keep using the database without a gate).
    public func admitting(through admission: ConnectionAdmission, waitingAtMost wait: Duration) -> Database {
        Database(client: client, systemClient: systemClient, logger: logger, connectionWait: connectionWait, admission: admission, admissionWait: wait)
    }

    /// Runs `body` in a transaction that sees only what `scope` may see: it sets `app.user_id` or
    /// `app.role` with `set_config(…, true)` (transaction-local, like `SET LOCAL`), so the policies of
    /// every user-owned table apply (a system transaction on `systemClient` has the role already).
    /// Commits when `body` returns, rolls back when it throws.
    public func withTransaction<Result: Sendable>(
        _ scope: AccessScope, _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        try await waitingForConnection { connected in
            try await transaction(scope) { connection in
                connected()
                return try await body(connection)
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

    /// Runs `body` in the system scope on one connection *without* a transaction when there is a
    /// `systemClient`: each statement commits on its own, one round trip each. For work made of
    /// statements that are each complete (a stage change is one statement; reads); anything that
    /// must commit together belongs in `withContext(.system)`. Without a `systemClient` the
    /// statements run in one system transaction instead (the same results, one round trip more).
    public func withSystemStatements<Result: Sendable>(_ body: (RepositoryContext) async throws -> Result) async throws -> Result {
        guard let systemClient else { return try await withContext(.system, body) }
        return try await waitingForConnection { connected in
            try await systemClient.withConnection { connection in
                connected()
                return try await body(RepositoryContext(connection, logger: logger))
            }
        }
    }

    /// Runs `work` once `admission` (if any) lets it through, then as `waitingForPool` does.
    private func waitingForConnection<Result: Sendable>(
        _ work: (_ connected: @Sendable () -> Void) async throws -> Result
    ) async throws -> Result {
        guard let admission else { return try await waitingForPool(work) }
        return try await admission.admitted(waitingAtMost: admissionWait) { try await waitingForPool(work) }
    }

    /// Runs `work` (which calls `connected` once it has its connection) beside a timer that fails
    /// the wait for a connection after `connectionWait` — only the wait: once connected, the work
    /// takes as long as it takes. The caller awaits the group, so `work` never runs concurrently
    /// with it.
    private func waitingForPool<Result: Sendable>(
        _ work: (_ connected: @Sendable () -> Void) async throws -> Result
    ) async throws -> Result {
        guard let connectionWait else { return try await work {} }
        return try await withoutActuallyEscaping(work) { work in
            nonisolated(unsafe) let work = work
            let flag = ConnectedFlag()
            return try await withThrowingTaskGroup(of: Result?.self) { group in
                group.addTask {
                    try await work { flag.value.store(true, ordering: .releasing) }
                }
                group.addTask {
                    try await Task.sleep(for: connectionWait)
                    guard flag.value.load(ordering: .acquiring) else { throw DatabaseUnavailable(waited: connectionWait) }
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

    private func transaction<Result: Sendable>(
        _ scope: AccessScope, _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        do {
            if scope == .system, let systemClient {
                return try await systemClient.withTransaction(logger: logger) { connection in try await body(connection) }
            }
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

extension PostgresClient.Configuration {
    /// This configuration for a pool whose sessions are in the system scope from the start
    /// (`app.role = 'system'` sent as a startup parameter), for `Database.systemClient`.
    public var systemSession: PostgresClient.Configuration {
        var configuration = self
        configuration.options.additionalStartupParameters.append(("app.role", "system"))
        return configuration
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
