import Foundation
import Logging
import PostgresNIO

/// Listens on the `task_events` channel and hands each announcement to `TaskEventAnnouncements`
/// (a `ChannelListener`). `watermark serve` runs it.
enum TaskEventListener {
    static func make(client: PostgresClient, announcements: TaskEventAnnouncements, logger: Logger) -> ChannelListener {
        ChannelListener(
            channel: TaskEventAnnouncements.channel, client: client, logger: logger,
            whenLost: "event streams poll until it reconnects", listening: { announcements.setListening($0) },
            receive: { payload in if let task = UUID(uuidString: payload) { announcements.announce(task) } })
    }
}
