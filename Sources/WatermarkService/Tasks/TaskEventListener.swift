import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle

/// Listens on the `task_events` channel with one connection of the service's pool and hands each
/// announcement to `TaskEventAnnouncements`; reconnects after a second when the connection is lost.
/// `watermark serve` runs it.
struct TaskEventListener: Service {
    let client: PostgresClient
    let announcements: TaskEventAnnouncements
    let logger: Logger
    var retryAfter: Duration = .seconds(1)

    func run() async throws {
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            do {
                try await cancelWhenGracefulShutdown {
                    try await client.withConnection { connection in
                        try await connection.listen(on: TaskEventAnnouncements.channel) { notifications in
                            announcements.setListening(true)
                            defer { announcements.setListening(false) }
                            for try await notification in notifications {
                                if let task = UUID(uuidString: notification.payload) { announcements.announce(task) }
                            }
                        }
                    }
                }
            } catch {
                if Task.isShuttingDownGracefully || Task.isCancelled { break }
                logger.warning("listening for task events failed; event streams poll until it reconnects", metadata: ["error": "\(String(reflecting: error))"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: retryAfter) }
        }
    }
}
