import ContractClient
import ContractRuntime
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PostgresNIO
import Testing
import WatermarkAPI
import WatermarkClient
@testable import WatermarkService

/// Register, login, refresh, logout and `/me` through the generated router, over real PostgreSQL
/// with row-level security, as a client sees them: the generated client (`WatermarkClient`), and
/// raw HTTP where a test is about the header or token sent (missing, forged, expired) or a request
/// the client would not send. `WatermarkAPI` stays imported for `register`, which other files call.
@Suite("watermark serve: auth operations")
struct AuthOperationsTests {
    static let ada = #"{"email":"ada@example.com","password":"correct-horse-battery","displayName":"Ada"}"#
    static let adaLogin = #"{"email":"ADA@example.com","password":"correct-horse-battery","deviceName":"Ada's laptop"}"#

    /// Registers the account in `body` (raw JSON, from device `laptop-1`); for the tests that still
    /// send raw HTTP. New tests use `ServiceUser.register`.
    static func register(_ client: some TestClientProtocol, _ body: String = ada, key: String = "register-\(UUID())") async throws -> WatermarkAPI.AuthSession {
        let response = try await client.send(.post, "/v1/auth/register", json: body, key: key, headers: ["X-Device-Id": "laptop-1"])
        #expect(response.status == .created)
        return try ServiceHarness.data(response, as: WatermarkAPI.AuthSession.self)
    }

    @Test func anAccountSignsInRefreshesAndSignsOut() async throws {
        try await ServiceHarness.with { app, harness in
            try await app.test(.router) { client in
                let ada = try await ServiceUser.register(client)
                let registered = ada.session
                #expect(registered.user.email == "ada@example.com" && registered.user.roles == [.user] && registered.user.planCode == "free")
                #expect(registered.tokens.tokenType == "Bearer" && registered.tokens.expiresIn == 900)
                #expect(registered.tokens.refreshExpiresIn > 29 * 86_400)

                #expect(try await ada.api.getMe().body.id == registered.user.id)

                // Emails are one account whatever their case.
                await expectFailure(40901, status: 409) { try await ServiceUser.register(client, email: "Ada@example.com", key: "register-again-1") }

                // Signing in (without an X-Device-Id) opens a second session.
                let anonymous = APIClient.inProcess(client)
                let session = try await anonymous.login(
                    idempotencyKey: "login-000001", body: .init(email: "ADA@example.com", password: ServiceUser.password, deviceName: "Ada's laptop")
                ).body
                #expect(session.user.id == registered.user.id && session.tokens.refreshToken != registered.tokens.refreshToken)

                // Refresh rotates; the same key and request replays the same pair, another request under that key is a conflict.
                let pair = try await anonymous.refreshTokens(idempotencyKey: "refresh-00001", body: .init(refreshToken: session.tokens.refreshToken)).body
                #expect(pair.refreshToken != session.tokens.refreshToken)
                #expect(try await anonymous.refreshTokens(idempotencyKey: "refresh-00001", body: .init(refreshToken: session.tokens.refreshToken)).body == pair)
                await expectFailure(40901, status: 409) {
                    try await anonymous.refreshTokens(idempotencyKey: "refresh-00001", body: .init(refreshToken: pair.refreshToken))
                }

                // The new pair works; logging out ends exactly this session.
                let latest = try await anonymous.refreshTokens(idempotencyKey: "refresh-00002", body: .init(refreshToken: pair.refreshToken)).body
                let loggedIn = APIClient.inProcess(client, token: latest.accessToken)
                #expect(try await loggedIn.logout(idempotencyKey: "logout-00001", body: .init(allDevices: false)).body.revokedSessions == 1)
                await expectFailure(40101, status: 401) { try await loggedIn.getMe() }
                await expectFailure(40101, status: 401) {
                    try await anonymous.refreshTokens(idempotencyKey: "refresh-00003", body: .init(refreshToken: latest.refreshToken))
                }
                // The registration's session is untouched; logging out everywhere ends it.
                #expect(try await ada.api.getMe().body.id == ada.id)
                #expect(try await ada.api.logout(idempotencyKey: "logout-00002", body: .init(allDevices: true)).body.revokedSessions == 1)
                await expectFailure(40101, status: 401) { try await ada.api.getMe() }

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
                let ada = try await ServiceUser.register(client)
                let anonymous = APIClient.inProcess(client)
                let stolen = ada.session.tokens.refreshToken
                let fresh = try await anonymous.refreshTokens(idempotencyKey: "refresh-owner1", body: .init(refreshToken: stolen)).body
                await expectFailure(40101, status: 401) { try await anonymous.refreshTokens(idempotencyKey: "refresh-thief1", body: .init(refreshToken: stolen)) }
                // Both holders are out: the owner's new tokens no longer work either.
                await expectFailure(40101, status: 401) { try await APIClient.inProcess(client, token: fresh.accessToken).getMe() }
                await expectFailure(40101, status: 401) {
                    try await anonymous.refreshTokens(idempotencyKey: "refresh-owner2", body: .init(refreshToken: fresh.refreshToken))
                }
            }
        }
    }

    @Test func credentialsAreCheckedWithoutSayingWhichPartWasWrong() async throws {
        try await ServiceHarness.with { app, harness in
            try await app.test(.router) { client in
                let ada = try await ServiceUser.register(client)
                let anonymous = APIClient.inProcess(client)
                for (email, password, key) in [("ada@example.com", "wrong-password", "login-wrong1"), ("bob@example.com", ServiceUser.password, "login-wrong2")] {
                    let answer = await expectFailure(40101, status: 401) {
                        try await anonymous.login(idempotencyKey: key, body: .init(email: email, password: password))
                    }
                    #expect(answer?.message == "wrong email or password", "\(email)")
                }
                // Raw: the header is the point (none, not a token, an expired token).
                #expect(try await client.send(.get, "/v1/auth/me").status == .unauthorized)
                #expect(try ServiceHarness.code(try await client.send(.get, "/v1/auth/me", token: "not-a-token")) == 40101)
                let expired = try await harness.auth.tokens.issue(
                    userID: ada.id, sessionID: UUID(), roles: ["user"], now: Date().addingTimeInterval(-3_600))
                let expiredResponse = try await client.send(.get, "/v1/auth/me", token: expired)
                #expect(try expiredResponse.status == .unauthorized && ServiceHarness.code(expiredResponse) == 40102)
                // Raw: requests the client refuses to send (a password under 10 characters, no Idempotency-Key).
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
                let anonymous = APIClient.inProcess(client)
                for attempt in 1...3 {
                    await expectFailure(40101, status: 401) {
                        try await anonymous.login(idempotencyKey: "login-guess\(attempt)", body: .init(email: "eve@example.com", password: "guess-\(attempt)"))
                    }
                }
                let limited = await expectFailure(42901, status: 429) {
                    try await anonymous.login(idempotencyKey: "login-guess4", body: .init(email: "eve@example.com", password: "guess-4"))
                }
                #expect((limited?.retryAfter ?? 0) >= 1, "Retry-After: \(String(describing: limited?.retryAfter))")
                // Another account is not affected.
                _ = try await ServiceUser.register(client, key: "register-other1")
            }
        }
    }

    @Test func concurrentDuplicatesOfARegistrationCreateOneAccount() async throws {
        try await ServiceHarness.with { app, harness in
            try await app.test(.router) { client in
                let users = try await withThrowingTaskGroup(of: UUID.self) { group in
                    for _ in 0..<10 {
                        group.addTask { try await ServiceUser.register(client, key: "register-same-key").id }
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
