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

/// Two instances of the service on one database share their request limits: the limit is counted
/// in PostgreSQL, not in each process.
@Suite("watermark serve: limits shared across instances")
struct SharedLimitsTests {
    @Test func twoInstancesCountOneLimit() async throws {
        try await ServiceHarness.with({ $0.signInAttemptsPerMinute = 3 }) { first, harness in
            // A second instance: its own routes and auth services (so nothing is shared in memory).
            let auth = try await AuthServices.make(
                harness.configuration, database: harness.database, passwords: PasswordHasher(costLog2: 10, blockSize: 8, parallelism: 1))
            let router = try WatermarkServer.router(configuration: harness.configuration, database: harness.database, storage: harness.storage, auth: auth)
            let second = Application(router: router)
            let login = LoginRequest(email: "shared-limit@example.com", password: "not-the-password")
            try await first.test(.router) { one in
                try await second.test(.router) { two in
                    // A wrong password three times, alternating instances: the fourth attempt is over the one limit.
                    let apis: [APIClient] = [.inProcess(one), .inProcess(two), .inProcess(one), .inProcess(two)]
                    for index in apis.indices {
                        let expected = index < 3 ? (code: 40101, status: 401) : (code: 42901, status: 429)
                        await expectFailure(expected.code, status: expected.status) {
                            try await apis[index].login(idempotencyKey: "shared-login-\(index)", body: login)
                        }
                    }
                    let refused = await expectFailure(42901, status: 429) {
                        try await apis[0].login(idempotencyKey: "shared-login-5", body: login)
                    }
                    // `Retry-After`, as the client reads it.
                    #expect(refused?.retryAfter.map { (1...60).contains($0) } == true, "\(String(describing: refused))")
                }
            }
            // The subject is not stored in the clear.
            let rows = try await harness.admin.query("SELECT subject_hash FROM rate_limit_counters")
            for try await hash in rows.decode(String.self) { #expect(!hash.contains("@") && hash.count == 64) }
        }
    }

    /// A session signed out through one instance stops working in another well before the other's 10-second cache
    /// would expire: the revocation is announced by PostgreSQL, not waited out. (Once the listener is listening;
    /// a loaded CI machine answers a request in over a second, so the announcement gets 5 s.)
    @Test func aSignOutReachesTheOtherInstanceAtOnce() async throws {
        try await ServiceHarness.with { first, harness in
            let auth = try await AuthServices.make(
                harness.configuration, database: harness.database, passwords: PasswordHasher(costLog2: 10, blockSize: 8, parallelism: 1))
            let router = try WatermarkServer.router(configuration: harness.configuration, database: harness.database, storage: harness.storage, auth: auth)
            let second = Application(router: router)
            var listener = SessionRevocationListener.make(client: harness.database.systemClient ?? harness.database.client, liveness: auth.liveness, logger: harness.database.logger)
            let listening = Mutex(false)
            listener.listening = { now in listening.withLock { $0 = now } }
            try await TaskWorkerTests.running([listener]) {
                try await first.test(.router) { one in
                    try await second.test(.router) { two in
                        let ready = ContinuousClock.now + .seconds(30)
                        while !listening.withLock({ $0 }) && ContinuousClock.now < ready { try await Task.sleep(for: .milliseconds(20)) }
                        #expect(listening.withLock { $0 }, "the listener never started listening")
                        let ada = try await ServiceUser.register(one)
                        let onTwo = APIClient.inProcess(two, token: ada.token)
                        // The second instance has seen the session live (and remembers it for 10 s).
                        _ = try await onTwo.getMe()
                        _ = try await ada.api.logout(idempotencyKey: "logout-shared-1", body: LogoutRequest(allDevices: false))
                        let deadline = ContinuousClock.now + .seconds(5)
                        var status = 200
                        while ContinuousClock.now < deadline {
                            do {
                                _ = try await onTwo.getMe()
                                status = 200
                            } catch let refused as ClientOperations.GetMe.Failure {
                                status = refused.answer.status
                            }
                            if status == 401 { break }
                            try await Task.sleep(for: .milliseconds(20))
                        }
                        #expect(status == 401, "the other instance still accepts the signed-out session")
                    }
                }
            }
        }
    }
}
