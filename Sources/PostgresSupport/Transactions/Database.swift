import Logging
import PostgresNIO

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
        let systemPool = scope == .system ? systemClient : nil
        return try await admitted {
            try await withPooledConnection(systemPool ?? client) { connection in
                try await transaction(on: connection, setting: systemPool == nil ? scope : nil, body)
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
        return try await admitted {
            try await withPooledConnection(systemClient) { connection in
                try await body(RepositoryContext(connection, logger: logger))
            }
        }
    }

    /// Runs `work` once `admission` (if any) lets it through.
    private func admitted<Result: Sendable>(_ work: () async throws -> Result) async throws -> Result {
        guard let admission else { return try await work() }
        return try await admission.admitted(waitingAtMost: admissionWait, work)
    }

    /// Runs `body` on a connection of `pool`, failing with `DatabaseUnavailable` when none came within
    /// `connectionWait` — only the wait: once connected, `body` takes as long as it takes. The lease
    /// runs in a task of its own and is handed over (`ConnectionHandover`), so a caller that gives up
    /// never waits for it: PostgresNIO's lease can outlive its cancellation for as long as the server
    /// is down.
    private func withPooledConnection<Result: Sendable>(
        _ pool: PostgresClient, _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        guard let connectionWait else { return try await pool.withConnection(body) }
        let handover = ConnectionHandover()
        let lease = Task {
            do {
                try await pool.withConnection { connection in await handover.lend(connection) }
            } catch {
                handover.abandon(error)
            }
        }
        let timer = Task {
            try await Task.sleep(for: connectionWait)
            handover.abandon(DatabaseUnavailable(waited: connectionWait))
        }
        let connection: PostgresConnection
        do {
            connection = try await withTaskCancellationHandler {
                try await handover.connection()
            } onCancel: {
                handover.abandon(CancellationError())
            }
            timer.cancel()
        } catch {
            timer.cancel()
            lease.cancel()
            throw error
        }
        defer { handover.release() }
        return try await body(connection)
    }

    /// Runs `body` in a transaction on `connection`, first setting `scope` (nil: the session has it).
    private func transaction<Result: Sendable>(
        on connection: PostgresConnection, setting scope: AccessScope?, _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        do {
            return try await connection.withTransaction(logger: logger) { connection in
                switch scope {
                case .user(let id):
                    try await connection.query("SELECT set_config('app.user_id', \(id.uuidString.lowercased()), true)", logger: logger)
                case .system:
                    try await connection.query("SELECT set_config('app.role', 'system', true)", logger: logger)
                case nil:
                    break
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
