import Logging
import PostgresNIO

extension PostgresClient {
    /// Runs `body` with a client for `configuration` that is running; the client stops when `body`
    /// returns or throws (for commands and start-up work outside a service group).
    @discardableResult
    public static func withRunning<Result: Sendable>(
        _ configuration: PostgresClient.Configuration, logger: Logger, _ body: (PostgresClient) async throws -> Result
    ) async throws -> Result {
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            // Let `run()` start before the first lease (PostgresNIO warns about leases before it).
            await Task.yield()
            return try await body(client)
        }
    }
}
