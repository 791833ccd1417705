import Logging
import PostgresNIO

/// The service's database: a pooled PostgresNIO client and transactions scoped for row-level security.
public struct Database: Sendable {
    public let client: PostgresClient
    public let logger: Logger

    public init(client: PostgresClient, logger: Logger = Logger(label: "database")) {
        self.client = client
        self.logger = logger
    }

    /// Runs `body` in a transaction that sees only what `scope` may see: it sets `app.user_id` or
    /// `app.role` with `set_config(…, true)` (transaction-local, like `SET LOCAL`), so the policies of
    /// every user-owned table apply. Commits when `body` returns, rolls back when it throws.
    public func withTransaction<Result: Sendable>(
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
