import Logging
import PostgresNIO
import ServiceLifecycle

/// Listens on a PostgreSQL notification channel with one connection of `client`'s pool and hands
/// each payload to `receive`; `listening` is told when the connection starts and stops listening.
/// Reconnects after `retryAfter` when the connection is lost, until the service shuts down.
struct ChannelListener: Service {
    let channel: String
    let client: PostgresClient
    let logger: Logger
    /// Logged (as a warning) when the connection is lost: what users notice meanwhile.
    let whenLost: String
    var retryAfter: Duration = .seconds(1)
    var listening: @Sendable (Bool) -> Void = { _ in }
    let receive: @Sendable (String) -> Void

    func run() async throws {
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            do {
                try await cancelWhenGracefulShutdown {
                    try await client.withConnection { connection in
                        try await connection.listen(on: channel) { notifications in
                            listening(true)
                            defer { listening(false) }
                            for try await notification in notifications { receive(notification.payload) }
                        }
                    }
                }
            } catch {
                if Task.isShuttingDownGracefully || Task.isCancelled { break }
                logger.warning("listening on \(channel) failed; \(whenLost)", metadata: ["error": "\(String(reflecting: error))"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: retryAfter) }
        }
    }
}
