import Foundation
import PostgresNIO
import PostgresSupport
import Testing

/// `Database.connectionWait` bounds the wait for a connection, never the work: while the server is
/// unreachable every caller gets `DatabaseUnavailable` or its own cancellation back, however its wait
/// ends — none is left waiting for the server to return.
@Suite("Waiting for a connection")
struct ConnectionWaitTests {
    /// A pool whose server never answers: a socket path in an empty directory.
    private static func withUnreachablePool(_ body: (PostgresClient) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("unreachable-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let pool = PostgresClient(configuration: .init(
            unixSocketPath: directory.appendingPathComponent(".s.PGSQL.5432").path, username: "nobody", password: nil, database: "none"))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await pool.run() }
            defer { group.cancelAll() }
            try await body(pool)
        }
    }

    @Test(.timeLimit(.minutes(1))) func everyCallerOfAnUnreachableServerGetsDatabaseUnavailable() async throws {
        try await Self.withUnreachablePool { pool in
            let database = Database(client: pool, connectionWait: .milliseconds(100))
            let outcomes = await withTaskGroup(of: String.self) { group in
                for _ in 0..<40 {
                    group.addTask {
                        do {
                            try await database.withTransaction(.system) { _ in }
                            return "connected"
                        } catch is DatabaseUnavailable {
                            return "unavailable"
                        } catch {
                            return "\(error)"
                        }
                    }
                }
                return await group.reduce(into: [String]()) { $0.append($1) }
            }
            #expect(outcomes == Array(repeating: "unavailable", count: 40))
        }
    }

    /// Cancellation that lands at any point of the lease (before the pool has queued it, while it
    /// waits) ends the caller's wait: the test finishing within its time limit is the assertion that
    /// matters, the outcomes say each ended as it should.
    @Test(.timeLimit(.minutes(1))) func callersCancelledAtAnyMomentAllReturn() async throws {
        try await Self.withUnreachablePool { pool in
            let database = Database(client: pool, connectionWait: .seconds(30))
            var ended = 0
            for round in 0..<20 {
                let callers = (0..<25).map { index in
                    Task {
                        try await database.withTransaction(.system) { _ in }
                    }
                }
                for (index, caller) in callers.enumerated() {
                    if (index + round) % 3 != 0 { await Task.yield() }
                    caller.cancel()
                }
                for caller in callers {
                    let result = await caller.result
                    if case .failure(let error) = result, error is CancellationError { ended += 1 }
                }
            }
            #expect(ended == 500)
        }
    }

    @Test func onceConnectedTheWorkTakesAsLongAsItTakes() async throws {
        try await TestCluster.withDatabase { client, _ in
            // The pool's first connection is opened without a tight wait; the work below then waits
            // for an idle connection at most 250 ms, and runs 1.5 s.
            try await Database(client: client, connectionWait: TestCluster.connectionWait).withTransaction(.system) { _ in }
            let database = Database(client: client, connectionWait: .milliseconds(250))
            let slept = try await database.withTransaction(.system) { connection in
                var done = false
                for try await value in try await connection.query("SELECT true FROM pg_sleep(1.5)", logger: database.logger).decode(Bool.self) {
                    done = value
                }
                return done
            }
            #expect(slept)
        }
    }
}
