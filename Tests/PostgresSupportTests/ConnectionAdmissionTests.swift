import PostgresSupport
import Synchronization
import Testing

@Suite("Admission to the database: turns, a bounded queue, refusals")
struct ConnectionAdmissionTests {
    /// Holds a turn of `gate` until `release` is called.
    struct Holder {
        let release: AsyncStream<Void>.Continuation
        let task: Task<Void, any Error>

        init(_ gate: ConnectionAdmission) async throws {
            let (signal, release) = AsyncStream<Void>.makeStream()
            let before = gate.snapshot.active
            self.release = release
            task = Task {
                try await gate.admitted(waitingAtMost: .seconds(5)) {
                    for await _ in signal { break }
                }
            }
            while gate.snapshot.active == before { try await Task.sleep(for: .milliseconds(2)) }
        }

        func release() async throws {
            release.finish()
            try await task.value
        }
    }

    /// Values written from several tasks.
    final class Record: Sendable {
        let values = Mutex<[Int]>([])
    }

    @Test func waitersTakeTurnsInOrderAndTheFullQueueIsRefusedAtOnce() async throws {
        let shedCount = Record()
        let gate = ConnectionAdmission(capacity: 1, queueLimit: 2, onShed: { shedCount.values.withLock { $0.append(1) } })
        let holder = try await Holder(gate)
        let order = Record()
        let waiters = (1...2).map { index in
            // Released by the test, not by the clock: the wait only bounds a hang (a loaded machine takes seconds).
            Task { try await gate.admitted(waitingAtMost: .seconds(60)) { order.values.withLock { $0.append(index) } } }
        }
        while gate.snapshot.waiting < 1 { try await Task.sleep(for: .milliseconds(2)) }
        while gate.snapshot.waiting < 2 { try await Task.sleep(for: .milliseconds(2)) }
        await #expect(throws: DatabaseOverloaded.self) { try await gate.admitted(waitingAtMost: .seconds(5)) {} }
        #expect(gate.snapshot == .init(active: 1, waiting: 2, shed: 1))
        try await holder.release()
        for waiter in waiters { try await waiter.value }
        #expect(Set(order.values.withLock { $0 }) == [1, 2])
        #expect(gate.snapshot == .init(active: 0, waiting: 0, shed: 1))
        #expect(shedCount.values.withLock { $0.count } == 1)
    }

    @Test func aWaitThatRunsOutIsRefusedAndLeavesNoTrace() async throws {
        let gate = ConnectionAdmission(capacity: 1, queueLimit: 4)
        let holder = try await Holder(gate)
        let started = ContinuousClock.now
        do {
            try await gate.admitted(waitingAtMost: .milliseconds(100)) { Issue.record("admitted while the turn was held") }
            Issue.record("not refused")
        } catch let refused as DatabaseOverloaded {
            #expect(refused.reason == .waitedTooLong)
        }
        #expect(ContinuousClock.now - started >= .milliseconds(100))
        #expect(gate.snapshot == .init(active: 1, waiting: 0, shed: 1))
        try await holder.release()
        try await gate.admitted(waitingAtMost: .milliseconds(100)) {}
        #expect(gate.snapshot == .init(active: 0, waiting: 0, shed: 1))
    }

    @Test func aNestedCallerNeedsNoSecondTurn() async throws {
        let gate = ConnectionAdmission(capacity: 1, queueLimit: 0)
        let inner = try await gate.admitted(waitingAtMost: .milliseconds(50)) {
            try await gate.admitted(waitingAtMost: .milliseconds(50)) { 42 }
        }
        #expect(inner == 42)
        #expect(gate.snapshot == .init(active: 0, waiting: 0, shed: 0))
    }

    @Test func aCancelledWaiterLeavesTheQueue() async throws {
        let gate = ConnectionAdmission(capacity: 1, queueLimit: 1)
        let holder = try await Holder(gate)
        let waiter = Task { try await gate.admitted(waitingAtMost: .seconds(30)) {} }
        while gate.snapshot.waiting == 0 { try await Task.sleep(for: .milliseconds(2)) }
        waiter.cancel()
        await #expect(throws: CancellationError.self) { try await waiter.value }
        #expect(gate.snapshot == .init(active: 1, waiting: 0, shed: 0))
        try await holder.release()
        #expect(gate.snapshot.active == 0)
    }

    @Test func manyConcurrentCallersAllGetAnAnswerAndTheGateEndsEmpty() async throws {
        let gate = ConnectionAdmission(capacity: 3, queueLimit: 20)
        let outcomes = try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<500 {
                group.addTask {
                    do {
                        try await gate.admitted(waitingAtMost: .milliseconds(20)) { try await Task.sleep(for: .microseconds(200)) }
                        return true
                    } catch is DatabaseOverloaded {
                        return false
                    }
                }
            }
            return try await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(outcomes.count == 500)
        #expect(gate.snapshot.active == 0 && gate.snapshot.waiting == 0)
        #expect(gate.snapshot.shed == outcomes.filter { !$0 }.count)
    }
}
