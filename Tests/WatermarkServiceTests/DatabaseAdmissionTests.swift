import ContractRuntime
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PostgresSupport
import Synchronization
import Testing
import WatermarkClient
@testable import WatermarkService

/// Overload: requests take turns at the database through a bounded queue; when the queue is full,
/// or a turn does not come in time, the answer is 50301 with `Retry-After` — never a 500. The shed
/// answers are read raw (their status and `Retry-After` header are the point); the rest goes through
/// the generated client.
@Suite("watermark serve: database admission under load")
struct DatabaseAdmissionTests {
    @Test func aFullQueueShedsWith50301AndRetryAfterAndCountsIt() async throws {
        try await ServiceHarness.with { _, harness in
            let metrics = ServiceMetrics()
            // A tiny gate: one request at work, two waiting for at most 300 ms.
            let gate = ConnectionAdmission(capacity: 1, queueLimit: 2, onShed: { metrics.databaseRequestShed() })
            let gated = harness.database.admitting(through: gate, waitingAtMost: .milliseconds(300))
            let auth = try await AuthServices.make(
                harness.configuration, database: gated, passwords: PasswordHasher(costLog2: 10, blockSize: 8, parallelism: 1))
            let router = try WatermarkServer.router(configuration: harness.configuration, database: gated, storage: harness.storage, auth: auth, metrics: metrics)
            try await Application(router: ErrorRecordingRouter(router: router)).test(.router) { client in
                let ada = try await ServiceUser.register(client)

                // Something holds the only turn until told to stop.
                let (signal, release) = AsyncStream<Void>.makeStream()
                let holder = Task {
                    try await gate.admitted(waitingAtMost: .seconds(5)) {
                        for await _ in signal { break }
                    }
                }
                while gate.snapshot.active == 0 { try await Task.sleep(for: .milliseconds(5)) }

                let answers = try await withThrowingTaskGroup(of: TestResponse.self) { group in
                    for _ in 0..<6 { group.addTask { try await client.send(.get, "/v1/tasks", token: ada.token) } }
                    return try await group.reduce(into: [TestResponse]()) { $0.append($1) }
                }
                for answer in answers {
                    #expect(answer.status == .serviceUnavailable, "\(answer.status) \(String(buffer: answer.body))")
                    #expect(try ServiceHarness.code(answer) == 50301)
                    #expect(answer.headers[HTTPField.Name("Retry-After")!] == "1")
                }
                #expect(gate.snapshot == ConnectionAdmission.Snapshot(active: 1, waiting: 0, shed: 6))

                // Once the turn is free, requests are served again.
                release.finish()
                try await holder.value
                _ = try await ada.api.listTasks()
                let exposition = String(buffer: try await client.execute(uri: "/metrics", method: .get).body)
                #expect(exposition.contains("database_requests_shed_total 6"), "\(exposition)")
                #expect(exposition.contains("database_connections_active 0"), "\(exposition)")
                #expect(exposition.contains("database_requests_waiting 0"), "\(exposition)")
            }
        }
    }

    /// A burst against a small gate: every request is answered with success or 50301, none with
    /// 500 — and once the burst is over, everything is served again.
    @Test func aBurstIsServedOrShedNeverFailed() async throws {
        try await ServiceHarness.with { _, harness in
            let gate = ConnectionAdmission(capacity: 2, queueLimit: 5)
            let gated = harness.database.admitting(through: gate, waitingAtMost: .milliseconds(200))
            let auth = try await AuthServices.make(
                harness.configuration, database: gated, passwords: PasswordHasher(costLog2: 10, blockSize: 8, parallelism: 1))
            let router = try WatermarkServer.router(configuration: harness.configuration, database: gated, storage: harness.storage, auth: auth)
            try await Application(router: ErrorRecordingRouter(router: router)).test(.router) { client in
                let ada = try await ServiceUser.register(client)
                let token = ada.token
                let answers = try await withThrowingTaskGroup(of: (UInt, Int64?, String?).self) { group in
                    for _ in 0..<80 {
                        group.addTask {
                            let response = try await client.send(.get, "/v1/tasks", token: token)
                            return (UInt(response.status.code), try ServiceHarness.code(response), response.headers[HTTPField.Name("Retry-After")!])
                        }
                    }
                    return try await group.reduce(into: [(UInt, Int64?, String?)]()) { $0.append($1) }
                }
                let served = answers.filter { $0.0 == 200 }.count
                let shed = answers.filter { $0.0 == 503 && $0.1 == 50301 && $0.2 == "1" }.count
                #expect(served + shed == 80, "\(answers.map { "\($0.0)/\($0.1 ?? 0)" })")
                #expect(served >= 2)
                #expect(gate.snapshot.active == 0 && gate.snapshot.waiting == 0 && gate.snapshot.shed == shed)
                _ = try await ada.api.listTasks()
            }
        }
    }
}
