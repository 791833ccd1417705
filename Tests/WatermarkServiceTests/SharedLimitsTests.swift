import ContractRuntime
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PostgresSupport
import Synchronization
import Testing
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
            let login = #"{"email":"shared-limit@example.com","password":"not-the-password"}"#
            try await first.test(.router) { one in
                try await second.test(.router) { two in
                    var answers: [HTTPResponse.Status] = []
                    let clients: [any TestClientProtocol] = [one, two, one, two]
                    for index in clients.indices {
                        answers.append(try await clients[index].send(.post, "/v1/auth/login", json: login, key: "shared-login-\(index)").status)
                    }
                    #expect(answers == [.unauthorized, .unauthorized, .unauthorized, .tooManyRequests], "\(answers)")
                    let refused = try await one.send(.post, "/v1/auth/login", json: login, key: "shared-login-5")
                    let code = try ServiceHarness.code(refused)
                    #expect(code == 42901)
                    let wait = refused.headers[HTTPField.Name("Retry-After")!].flatMap(Int.init)
                    #expect(wait.map { (1...60).contains($0) } == true, "\(refused.headers)")
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
                        let session = try await AuthOperationsTests.register(one)
                        let token = session.tokens.accessToken
                        // The second instance has seen the session live (and remembers it for 10 s).
                        #expect(try await two.send(.get, "/v1/auth/me", token: token).status == .ok)
                        let out = try await one.send(.post, "/v1/auth/logout", json: #"{"allDevices":false}"#, key: "logout-shared-1", token: token)
                        #expect(out.status == .ok, "\(out.status)")
                        let deadline = ContinuousClock.now + .seconds(5)
                        var status = HTTPResponse.Status.ok
                        while ContinuousClock.now < deadline {
                            status = try await two.send(.get, "/v1/auth/me", token: token).status
                            if status == .unauthorized { break }
                            try await Task.sleep(for: .milliseconds(20))
                        }
                        #expect(status == .unauthorized, "the other instance still accepts the signed-out session")
                    }
                }
            }
        }
    }
}
