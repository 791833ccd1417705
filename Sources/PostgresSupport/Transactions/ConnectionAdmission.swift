import Synchronization

/// Admission control in front of a connection pool: at most `capacity` callers work on the
/// database at once, at most `queueLimit` more wait for a turn in arrival order, each for at most
/// its deadline. A caller that finds the queue full, or whose wait runs out, is refused at once
/// with `DatabaseOverloaded` — a retryable answer (503 with `Retry-After`) instead of every
/// request of a burst holding a socket open until its own timer fires and failing with 500.
///
/// A caller already admitted (a transaction started inside another) goes through without a turn
/// of its own, so nested transactions cannot deadlock on the gate.
public final class ConnectionAdmission: Sendable {
    /// What the gate holds now, for `/metrics`.
    public struct Snapshot: Sendable, Equatable {
        /// Callers working on the database (each holds or is about to hold a pooled connection).
        public var active: Int
        /// Callers waiting for a turn.
        public var waiting: Int
        /// Callers refused since the gate was made.
        public var shed: Int

        public init(active: Int, waiting: Int, shed: Int) {
            self.active = active
            self.waiting = waiting
            self.shed = shed
        }
    }

    public let capacity: Int
    public let queueLimit: Int

    private struct Waiter {
        let id: UInt64
        let continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var active = 0
        var waiters: [Waiter] = []
        var shed = 0
        var nextID: UInt64 = 0
        /// Waiters told to queue that have not arrived in the queue yet.
        var arriving: Set<UInt64> = []
        /// Those of them refused (expired, cancelled) before they arrived: they fail on arrival.
        var refusedEarly: [UInt64: any Error] = [:]
    }

    private let state = Mutex(State())
    private let onShed: @Sendable () -> Void

    @TaskLocal static var admitted: Set<ObjectIdentifier> = []

    /// `capacity` callers at once (the pool's size), `queueLimit` waiting; `onShed` runs for every
    /// refusal (a metrics counter).
    public init(capacity: Int, queueLimit: Int, onShed: @escaping @Sendable () -> Void = {}) {
        precondition(capacity >= 1 && queueLimit >= 0)
        self.capacity = capacity
        self.queueLimit = queueLimit
        self.onShed = onShed
    }

    public var snapshot: Snapshot {
        state.withLock { Snapshot(active: $0.active, waiting: $0.waiters.count, shed: $0.shed) }
    }

    /// Runs `body` once admitted (waiting at most `wait` for a turn), and gives the turn to the
    /// next waiter when it returns or throws. Refused with `DatabaseOverloaded`.
    @discardableResult
    public func admitted<Result: Sendable>(waitingAtMost wait: Duration, _ body: () async throws -> Result) async throws -> Result {
        let key = ObjectIdentifier(self)
        if Self.admitted.contains(key) { return try await body() }
        try await enter(waitingAtMost: wait)
        defer { leave() }
        return try await Self.$admitted.withValue(Self.admitted.union([key])) { try await body() }
    }

    private enum Entry {
        case admitted, queued(UInt64), refused
    }

    private func enter(waitingAtMost wait: Duration) async throws {
        let entry: Entry = state.withLock { state in
            if state.active < capacity && state.waiters.isEmpty {
                state.active += 1
                return .admitted
            }
            guard state.waiters.count < queueLimit else {
                state.shed += 1
                return .refused
            }
            state.nextID += 1
            state.arriving.insert(state.nextID)
            return .queued(state.nextID)
        }
        switch entry {
        case .admitted:
            return
        case .refused:
            onShed()
            throw DatabaseOverloaded(reason: .queueFull, capacity: capacity, queueLimit: queueLimit)
        case .queued(let id):
            try await withThrowingTaskGroup(of: Bool.self) { group in
                group.addTask { try await self.queue(id) }
                group.addTask {
                    try await Task.sleep(for: wait)
                    self.remove(id, error: DatabaseOverloaded(reason: .waitedTooLong, capacity: self.capacity, queueLimit: self.queueLimit), countAsShed: true)
                    return false
                }
                defer { group.cancelAll() }
                // The turn (true), or the queue's error; the timer's end only means the queue will answer.
                while let admitted = try await group.next() {
                    if admitted { return }
                }
            }
        }
    }

    /// Waits in the queue as `id` until `leave` hands it the turn (true); an expiry or cancellation
    /// takes it out of the queue with an error.
    private func queue(_ id: UInt64) async throws -> Bool {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                enum Arrival { case admitted, queued, refused(any Error) }
                let arrival = state.withLock { state -> Arrival in
                    state.arriving.remove(id)
                    if let error = state.refusedEarly.removeValue(forKey: id) { return .refused(error) }
                    if state.active < capacity && state.waiters.isEmpty {
                        state.active += 1
                        return .admitted
                    }
                    state.waiters.append(Waiter(id: id, continuation: continuation))
                    return .queued
                }
                switch arrival {
                case .admitted: continuation.resume()
                case .queued: break
                case .refused(let error): continuation.resume(throwing: error)
                }
            }
            return true
        } onCancel: {
            remove(id, error: CancellationError(), countAsShed: false)
        }
    }

    /// Takes `id` out of the queue with `error`; one not queued yet fails when it arrives; one
    /// that has had its turn already is left alone.
    private func remove(_ id: UInt64, error: any Error, countAsShed: Bool) {
        enum Removal { case waiting(Waiter), arriving, none }
        let removal = state.withLock { state -> Removal in
            if let index = state.waiters.firstIndex(where: { $0.id == id }) {
                if countAsShed { state.shed += 1 }
                return .waiting(state.waiters.remove(at: index))
            }
            if state.arriving.remove(id) != nil {
                if countAsShed { state.shed += 1 }
                state.refusedEarly[id] = error
                return .arriving
            }
            return .none
        }
        switch removal {
        case .waiting(let waiter):
            if countAsShed { onShed() }
            waiter.continuation.resume(throwing: error)
        case .arriving:
            if countAsShed { onShed() }
        case .none:
            break
        }
    }

    /// A caller is done: the first waiter takes its turn, or the turn is given back.
    private func leave() {
        let next = state.withLock { state -> Waiter? in
            if state.waiters.isEmpty {
                state.active -= 1
                return nil
            }
            return state.waiters.removeFirst()
        }
        next?.continuation.resume()
    }
}

/// The database is busy beyond what its queue takes: retry after a moment (the service answers 503
/// with `Retry-After`).
public struct DatabaseOverloaded: Error, CustomStringConvertible, Equatable {
    public enum Reason: Sendable, Equatable {
        /// Every turn was taken and the queue was full.
        case queueFull
        /// The caller waited its longest for a turn.
        case waitedTooLong
    }

    public let reason: Reason
    public let capacity: Int
    public let queueLimit: Int

    public var description: String {
        switch reason {
        case .queueFull: "the database is busy: \(capacity) requests at work and \(queueLimit) waiting"
        case .waitedTooLong: "the database is busy: no turn came within the wait"
        }
    }
}
