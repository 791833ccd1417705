import Foundation
import Logging
import PostgresNIO

/// Listens on the `session_revocations` channel (migration 0014: a trigger announces every session
/// revoked, by whichever instance) and tells `SessionLiveness`, so a signed-out or revoked session
/// stops working in every instance at once (a `ChannelListener`; while it reconnects, the liveness
/// cache's 10 seconds bound the delay). `watermark serve` runs it.
enum SessionRevocationListener {
    static let channel = "session_revocations"

    static func make(client: PostgresClient, liveness: SessionLiveness, logger: Logger) -> ChannelListener {
        ChannelListener(
            channel: channel, client: client, logger: logger, whenLost: "revocations by other instances take up to 10 s until it reconnects",
            receive: { payload in if let session = UUID(uuidString: payload) { liveness.heardRevocation(of: session) } })
    }
}
