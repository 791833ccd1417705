import Foundation
import Synchronization

/// Wakes open event streams when their task changes. PostgreSQL announces every inserted task event
/// on the `task_events` channel when its transaction commits (migration 0011, whichever process
/// wrote it); `TaskEventListener` hears the announcements and signals the streams of that task.
/// Streams still poll — every `fallbackPoll` while the listener is connected, twice a second while it
/// is not — so a lost announcement delays an event, never loses it.
public final class TaskEventAnnouncements: Sendable {
    /// The channel migration 0011's trigger notifies, with the task's id as payload.
    public static let channel = "task_events"

    /// How often a stream looks for events on its own while announcements arrive.
    public let fallbackPoll: Duration
    /// How often it looks while they do not (no listener, or it lost its connection).
    public let pollWithoutAnnouncements: Duration = .milliseconds(500)
    private let subscriptions = Mutex<[UUID: [ObjectIdentifier: Subscription]]>([:])
    private let listening = Atomic<Bool>(false)

    public init(fallbackPoll: Duration = .seconds(5)) {
        self.fallbackPoll = fallbackPoll
    }

    /// Whether a listener is connected and receiving announcements.
    public var isListening: Bool { listening.load(ordering: .acquiring) }

    /// How long a stream may wait for an announcement before it looks for events itself.
    var pollInterval: Duration { isListening ? fallbackPoll : pollWithoutAnnouncements }

    /// One stream's interest in `task`, until `unsubscribe`.
    func subscribe(_ task: UUID) -> Subscription {
        let subscription = Subscription(task: task)
        subscriptions.withLock { $0[task, default: [:]][ObjectIdentifier(subscription)] = subscription }
        return subscription
    }

    func unsubscribe(_ subscription: Subscription) {
        subscriptions.withLock { all in
            all[subscription.task]?[ObjectIdentifier(subscription)] = nil
            if all[subscription.task]?.isEmpty == true { all[subscription.task] = nil }
        }
    }

    /// How many streams wait for `task`'s events.
    func subscriberCount(_ task: UUID) -> Int {
        subscriptions.withLock { $0[task]?.count ?? 0 }
    }

    /// Signals the streams of `task`.
    func announce(_ task: UUID) {
        for subscription in subscriptions.withLock({ Array(($0[task] ?? [:]).values) }) { subscription.signal() }
    }

    /// Marks the listener connected or not; on connecting every stream looks once, for what was
    /// announced while nobody listened.
    func setListening(_ value: Bool) {
        listening.store(value, ordering: .releasing)
        if value {
            for subscription in subscriptions.withLock({ $0.values.flatMap(\.values) }) { subscription.signal() }
        }
    }

    /// A signal one stream waits for: set by announcements, consumed by `wait`.
    final class Subscription: Sendable {
        let task: UUID
        private let state = Mutex<(pending: Bool, waiter: CheckedContinuation<Void, Never>?)>((false, nil))

        init(task: UUID) {
            self.task = task
        }

        /// Wakes the waiting stream, or the next wait when none is waiting.
        func signal() {
            let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
                guard let waiter = state.waiter else {
                    state.pending = true
                    return nil
                }
                state.waiter = nil
                return waiter
            }
            waiter?.resume()
        }

        /// Returns at the next signal (at once if one came since the last wait), after `timeout`,
        /// or when the calling task is cancelled.
        func wait(upTo timeout: Duration) async {
            let timer = Task { [self] in
                try? await Task.sleep(for: timeout)
                signal()
            }
            defer { timer.cancel() }
            await withTaskCancellationHandler {
                await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                    let signalled = state.withLock { state -> Bool in
                        if state.pending {
                            state.pending = false
                            return true
                        }
                        state.waiter = continuation
                        return false
                    }
                    if signalled { continuation.resume() }
                }
            } onCancel: {
                signal()
            }
        }
    }
}
