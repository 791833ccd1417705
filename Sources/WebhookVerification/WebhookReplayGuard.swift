import Foundation
import Synchronization

/// Remembers verified webhook ids so a receiver acts on each event once. Retries of a delivery
/// come with the same id, possibly hours apart; a receiver running several instances implements
/// this over a shared store (a unique key in its database).
public protocol WebhookReplayGuard: Sendable {
    /// Records `id` as seen at `time`; false when it was seen before.
    func firstSighting(of id: String, at time: Date) -> Bool
}

/// A process-local `WebhookReplayGuard`: ids are remembered for `retention` (a day by default,
/// longer than the sender's retries), at most `capacity` of them (the oldest are forgotten first).
public final class InMemoryReplayGuard: WebhookReplayGuard {
    private let state = Mutex<(seen: [String: Date], order: [String])>(([:], []))
    public let retention: TimeInterval
    public let capacity: Int

    public init(retention: TimeInterval = 86_400, capacity: Int = 100_000) {
        self.retention = retention
        self.capacity = capacity
    }

    public func firstSighting(of id: String, at time: Date) -> Bool {
        state.withLock { state in
            // Forget what is past its retention or over capacity (oldest first).
            var expired = 0
            while expired < state.order.count, state.order.count - expired > capacity - 1
                || (state.seen[state.order[expired]].map { time.timeIntervalSince($0) > retention } ?? true) {
                state.seen[state.order[expired]] = nil
                expired += 1
            }
            if expired > 0 { state.order.removeFirst(expired) }
            guard state.seen[id] == nil else { return false }
            state.seen[id] = time
            state.order.append(id)
            return true
        }
    }
}
