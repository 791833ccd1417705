import ContractRuntime
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PostgresNIO
import Testing
import WatermarkAPI
@testable import WatermarkService

/// Register, login, refresh, logout and `/me` through the generated router, over real PostgreSQL
/// with row-level security, as a client sees them.
@Suite("watermark serve: auth operations")
struct AuthOperationsTests {
    static let ada = #"{"email":"ada@example.com","password":"correct-horse-battery","displayName":"Ada"}"#
    static let adaLogin = #"{"email":"ADA@example.com","password":"correct-horse-battery","deviceName":"Ada's laptop"}"#

    static func register(_ client: some TestClientProtocol, _ body: String = ada, key: String = "register-\(UUID())") async throws -> AuthSession {
        let response = try await client.send(.post, "/v1/auth/register", json: body, key: key, headers: ["X-Device-Id": "laptop-1"])
        #expect(response.status == .created)
        return try ServiceHarness.data(response, as: AuthSession.self)
    }

    @Test func anAccountSignsInRefreshesAndSignsOut() async throws {
        try await ServiceHarness.with { app, harness in
            try await app.test(.router) { client in
                let registered = try await Self.register(client)
                #expect(registered.user.email == "ada@example.com" && registered.user.roles == [.user] && registered.user.planCode == "free")
                #expect(registered.tokens.tokenType == .bearer && registered.tokens.expiresIn == 900)
                #expect(registered.tokens.refreshExpiresIn > 29 * 86_400)

                let me = try await client.send(.get, "/v1/auth/me", token: registered.tokens.accessToken)
                #expect(me.status == .ok)
                #expect(try ServiceHarness.data(me, as: User.self).id == registered.user.id)

                // Emails are one account whatever their case.
                let again = try await client.send(.post, "/v1/auth/register", json: Self.ada.replacingOccurrences(of: "ada@", with: "Ada@"), key: "register-again-1")
                #expect(try again.status == .conflict && ServiceHarness.code(again) == 40901)

                let login = try await client.send(.post, "/v1/auth/login", json: Self.adaLogin, key: "login-000001")
                #expect(login.status == .ok)
                let session = try ServiceHarness.data(login, as: AuthSession.self)
                #expect(session.user.id == registered.user.id && session.tokens.refreshToken != registered.tokens.refreshToken)

                // Refresh rotates; the same key and request replays the same pair.
                let refreshBody = #"{"refreshToken":"\#(session.tokens.refreshToken)"}"#
                let rotated = try await client.send(.post, "/v1/auth/refresh", json: refreshBody, key: "refresh-00001")
                #expect(rotated.status == .ok)
                let pair = try ServiceHarness.data(rotated, as: AuthTokens.self)
                #expect(pair.refreshToken != session.tokens.refreshToken)
                let replayed = try await client.send(.post, "/v1/auth/refresh", json: refreshBody, key: "refresh-00001")
                #expect(try replayed.status == .ok && ServiceHarness.data(replayed, as: AuthTokens.self) == pair)
                let otherRequest = try await client.send(.post, "/v1/auth/refresh", json: #"{"refreshToken":"\#(pair.refreshToken)"}"#, key: "refresh-00001")
                #expect(try otherRequest.status == .conflict && ServiceHarness.code(otherRequest) == 40901)

                // The new pair works; logging out ends exactly this session.
                let next = try await client.send(.post, "/v1/auth/refresh", json: #"{"refreshToken":"\#(pair.refreshToken)"}"#, key: "refresh-00002")
                let latest = try ServiceHarness.data(next, as: AuthTokens.self)
                let logout = try await client.send(.post, "/v1/auth/logout", json: #"{"allDevices":false}"#, key: "logout-00001", token: latest.accessToken)
                #expect(try logout.status == .ok && ServiceHarness.data(logout, as: LogoutResult.self).revokedSessions == 1)
                let afterLogout = try await client.send(.get, "/v1/auth/me", token: latest.accessToken)
                #expect(try afterLogout.status == .unauthorized && ServiceHarness.code(afterLogout) == 40101)
                let refreshAfterLogout = try await client.send(.post, "/v1/auth/refresh", json: #"{"refreshToken":"\#(latest.refreshToken)"}"#, key: "refresh-00003")
                #expect(refreshAfterLogout.status == .unauthorized)
                // The registration's session is untouched; logging out everywhere ends it.
                #expect(try await client.send(.get, "/v1/auth/me", token: registered.tokens.accessToken).status == .ok)
                let everywhere = try await client.send(.post, "/v1/auth/logout", json: #"{"allDevices":true}"#, key: "logout-00002", token: registered.tokens.accessToken)
                #expect(try ServiceHarness.data(everywhere, as: LogoutResult.self).revokedSessions == 1)
                #expect(try await client.send(.get, "/v1/auth/me", token: registered.tokens.accessToken).status == .unauthorized)

                // What the database keeps: digests and a fingerprint, never a token.
                let rows = try await harness.admin.query("SELECT device_fingerprint, octet_length(refresh_token_hash), revoked_reason FROM sessions ORDER BY created_at")
                var stored: [String] = []
                for try await (fingerprint, length, reason) in rows.decode((String, Int, String?).self) { stored.append("\(fingerprint.prefix(7)) \(length) \(reason ?? "-")") }
                #expect(stored == ["sha256: 32 LOGOUT_ALL", "unknown 32 LOGOUT"])
                let subscriptions = try await harness.admin.query("SELECT plan_code, status, current_period_end > now() FROM subscriptions")
                var plans: [String] = []
                for try await (plan, status, current) in subscriptions.decode((String, String, Bool).self) { plans.append("\(plan) \(status) \(current)") }
                #expect(plans == ["free ACTIVE true"], "a new account is on the free plan")
                let sealed = try await harness.admin.query("SELECT response_body::text FROM idempotency_keys WHERE idempotency_key = 'refresh-00001'")
                for try await body in sealed.decode(String.self) {
                    #expect(!body.contains(pair.refreshToken) && body.contains("sealed"), "stored responses are sealed")
                }
            }
        }
    }

    @Test func aRotatedRefreshTokenPresentedAgainEndsTheSession() async throws {
        try await ServiceHarness.with { app, _ in
            try await app.test(.router) { client in
                let session = try await Self.register(client)
                let stolen = #"{"refreshToken":"\#(session.tokens.refreshToken)"}"#
                let first = try await client.send(.post, "/v1/auth/refresh", json: stolen, key: "refresh-owner1")
                #expect(first.status == .ok)
                let fresh = try ServiceHarness.data(first, as: AuthTokens.self)
                let reuse = try await client.send(.post, "/v1/auth/refresh", json: stolen, key: "refresh-thief1")
                #expect(try reuse.status == .unauthorized && ServiceHarness.code(reuse) == 40101)
                // Both holders are out: the owner's new tokens no longer work either.
                #expect(try await client.send(.get, "/v1/auth/me", token: fresh.accessToken).status == .unauthorized)
                let ownerRefresh = try await client.send(.post, "/v1/auth/refresh", json: #"{"refreshToken":"\#(fresh.refreshToken)"}"#, key: "refresh-owner2")
                #expect(ownerRefresh.status == .unauthorized)
            }
        }
    }

    @Test func credentialsAreCheckedWithoutSayingWhichPartWasWrong() async throws {
        try await ServiceHarness.with { app, harness in
            try await app.test(.router) { client in
                let session = try await Self.register(client)
                let wrongPassword = try await client.send(.post, "/v1/auth/login", json: #"{"email":"ada@example.com","password":"wrong-password"}"#, key: "login-wrong1")
                let unknownEmail = try await client.send(.post, "/v1/auth/login", json: #"{"email":"bob@example.com","password":"correct-horse-battery"}"#, key: "login-wrong2")
                for response in [wrongPassword, unknownEmail] {
                    #expect(try response.status == .unauthorized && ServiceHarness.code(response) == 40101)
                    #expect(try ServiceHarness.envelope(response)["message"] == .string("wrong email or password"))
                }
                #expect(try await client.send(.get, "/v1/auth/me").status == .unauthorized)
                #expect(try ServiceHarness.code(try await client.send(.get, "/v1/auth/me", token: "not-a-token")) == 40101)
                let expired = try await harness.auth.tokens.issue(
                    userID: session.user.id, sessionID: UUID(), roles: ["user"], now: Date().addingTimeInterval(-3_600))
                let expiredResponse = try await client.send(.get, "/v1/auth/me", token: expired)
                #expect(try expiredResponse.status == .unauthorized && ServiceHarness.code(expiredResponse) == 40102)
                let weak = try await client.send(.post, "/v1/auth/register", json: #"{"email":"bob@example.com","password":"short","displayName":"Bob"}"#, key: "register-weak1")
                #expect(try weak.status == .badRequest && ServiceHarness.code(weak) == 40001)
                let noKey = try await client.send(.post, "/v1/auth/login", json: Self.adaLogin)
                #expect(try noKey.status == .badRequest && ServiceHarness.code(noKey) == 40001)
            }
        }
    }

    @Test func signInAttemptsAreRateLimitedPerAccount() async throws {
        try await ServiceHarness.with({ $0.signInAttemptsPerMinute = 3 }) { app, _ in
            try await app.test(.router) { client in
                var statuses: [HTTPResponse.Status] = []
                var last: TestResponse?
                for attempt in 1...4 {
                    let response = try await client.send(.post, "/v1/auth/login", json: #"{"email":"eve@example.com","password":"guess-\#(attempt)"}"#, key: "login-guess\(attempt)")
                    statuses.append(response.status)
                    last = response
                }
                #expect(statuses == [.unauthorized, .unauthorized, .unauthorized, .tooManyRequests])
                let limited = try #require(last)
                #expect(try ServiceHarness.code(limited) == 42901)
                #expect(Int(limited.headers[HTTPField.Name("Retry-After")!] ?? "") ?? 0 >= 1)
                // Another account is not affected.
                let other = try await client.send(.post, "/v1/auth/register", json: Self.ada, key: "register-other1")
                #expect(other.status == .created)
            }
        }
    }

    @Test func concurrentDuplicatesOfARegistrationCreateOneAccount() async throws {
        try await ServiceHarness.with { app, harness in
            try await app.test(.router) { client in
                let users = try await withThrowingTaskGroup(of: UUID.self) { group in
                    for _ in 0..<10 {
                        group.addTask { try await Self.register(client, key: "register-same-key").user.id }
                    }
                    return try await group.reduce(into: Set<UUID>()) { $0.insert($1) }
                }
                #expect(users.count == 1)
                let count = try await harness.admin.query("SELECT count(*)::int FROM users")
                for try await rows in count.decode(Int.self) { #expect(rows == 1) }
            }
        }
    }

    @Test func theDevelopmentSigningKeyIsCreatedOnceAndKeptPrivate() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("key-\(UUID())/jwt.pem").path
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let first = try SigningKey.load(configuredFile: nil, developmentFile: path)
        let second = try SigningKey.load(configuredFile: nil, developmentFile: path)
        #expect(first.pem == second.pem && first.keyID == second.keyID && first.keyID.count == 16)
        #expect(first.source.contains("generated now") && !second.source.contains("generated now"))
        let permissions = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber
        #expect(permissions?.intValue == 0o600)
        #expect(throws: ServiceConfiguration.Invalid.self) { try SigningKey.load(configuredFile: path + ".missing", developmentFile: path) }
    }
}
