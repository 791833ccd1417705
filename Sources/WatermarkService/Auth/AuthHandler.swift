import ContractRuntime
import ContractServer
import Crypto
import Foundation
import Hummingbird
import NIOCore
import PostgresNIO
import PostgresSupport
import WatermarkAPI
import WatermarkDatabase

/// The `auth` operations: accounts, sign-in sessions with rotating refresh tokens, sign-out and
/// the caller's profile.
///
/// A session is one row of `sessions`: the SHA-256 of its current refresh token, the previous one
/// (a rotated token presented again means it was copied: the whole session is revoked), the device
/// and an absolute expiry. Access tokens are short-lived RS256 JWTs naming the session, and
/// `SessionLiveness` refuses them once the session is revoked.
struct AuthHandler<Context: RequestContext>: AuthAPI {
    let database: Database
    let auth: AuthServices
    /// A hash checked when the email is unknown, so a wrong email takes as long as a wrong password.
    let decoyHash: String

    init(database: Database, auth: AuthServices) throws {
        self.database = database
        self.auth = auth
        decoyHash = try auth.passwords.hash(UUID().uuidString)
    }

    // MARK: - Operations

    func register(_ input: Operations.Register.Input, context: Context) async throws -> Operations.Register.Output {
        typealias Failure = Operations.Register.Failure
        try await auth.limits.signIn.admit("register:" + input.body.email.lowercased(), what: "attempts for this account", else: Failure.self)
        let hash = try auth.passwords.hash(input.body.password)
        let session = try await auth.idempotency.run(.system, key: input.idempotencyKey, operation: "register", request: input.body.json, status: 201, conflict: Failure.conflict) { context in
            let user: UserRow
            do {
                user = try await UserRepository(context).insert(NewUser(email: input.body.email, passwordHash: hash, displayName: input.body.displayName))
            } catch let error as PSQLError where error.isUniqueViolation {
                throw Failure.conflict("an account with this email already exists")
            }
            // Every user has a subscription; a new one starts on the free plan.
            _ = try await SubscriptionPeriods.startFree(for: user.id, in: context)
            return try await openSession(for: user, device: input.xDeviceId, deviceName: nil, in: context)
        }
        return .created(session)
    }

    func login(_ input: Operations.Login.Input, context: Context) async throws -> Operations.Login.Output {
        typealias Failure = Operations.Login.Failure
        try await auth.limits.signIn.admit("login:" + input.body.email.lowercased(), what: "sign-in attempts for this account", else: Failure.self)
        let session = try await auth.idempotency.run(.system, key: input.idempotencyKey, operation: "login", request: input.body.json, status: 200, conflict: Failure.conflict) { context in
            let found = try await NamedQueries(context).findUserByEmail(email: input.body.email)
            // The same work and the same answer whether the email or the password is wrong.
            let verified = auth.passwords.verify(input.body.password, against: found?.passwordHash ?? decoyHash)
            guard var user = found, verified, user.status == .active else {
                throw Failure.unauthenticated("wrong email or password")
            }
            if auth.passwords.needsRehash(user.passwordHash) {
                user.passwordHash = try auth.passwords.hash(input.body.password)
                user = try await UserRepository(context).update(user)
            }
            return try await openSession(for: user, device: input.xDeviceId, deviceName: input.body.deviceName, in: context)
        }
        return .ok(session)
    }

    func refreshTokens(_ input: Operations.RefreshTokens.Input, context: Context) async throws -> Operations.RefreshTokens.Output {
        typealias Failure = Operations.RefreshTokens.Failure
        let digest = RefreshToken(value: input.body.refreshToken).digest
        try await auth.limits.signIn.admit("refresh:" + digest.hexDigits, what: "refresh attempts with this token", else: Failure.self)
        let presented = ByteBuffer(bytes: digest)
        do {
            let pair = try await auth.idempotency.run(.system, key: input.idempotencyKey, operation: "refreshTokens", request: input.body.json, status: 200, conflict: Failure.conflict) { context in
                let next = RefreshToken.generate()
                let queries = NamedQueries(context)
                guard let session = try await queries.rotateRefreshToken(refreshTokenHash: presented, refreshTokenHash2: ByteBuffer(bytes: next.digest)) else {
                    if let reused = try await queries.findSessionByPreviousToken(previousRefreshTokenHash: presented), reused.revokedAt == nil {
                        throw ReusedRefreshToken(session: reused)
                    }
                    throw Failure.unauthenticated("the refresh token is unknown, expired or revoked")
                }
                guard let user = try await UserRepository(context).find(id: session.userId), user.status == .active else {
                    throw Failure.unauthenticated("the account is closed")
                }
                return try await tokenPair(user: user, session: session, refreshToken: next)
            }
            return .ok(pair)
        } catch let reuse as ReusedRefreshToken {
            // A rotated token came back: someone holds a copy. End the session (the thief's and the
            // owner's) in its own transaction, since the failed one rolled back.
            try await database.withContext(.system) { context in
                let sessions = SessionRepository(context)
                guard var session = try await sessions.find(id: reuse.session.id), session.revokedAt == nil else { return }
                session.revokedAt = Date()
                session.revokedReason = .tokenReuse
                _ = try await sessions.update(session)
            }
            auth.liveness.revoked(reuse.session.id, of: reuse.session.userId)
            context.logger.warning("refresh token reuse: session revoked", metadata: ["session": "\(reuse.session.id)", "user": "\(reuse.session.userId)"])
            throw Failure.unauthenticated("the refresh token was already used; the session has been ended, sign in again")
        }
    }

    func logout(_ input: Operations.Logout.Input, context: Context) async throws -> Operations.Logout.Output {
        typealias Failure = Operations.Logout.Failure
        let userID = input.principal.subject
        let sessionID = input.principal.sid
        let result = try await auth.idempotency.run(.user(userID), key: input.idempotencyKey, operation: "logout", request: input.body.json, status: 200, conflict: Failure.conflict) { context in
            if input.body.allDevices {
                return LogoutResult(revokedSessions: try await NamedQueries(context).revokeUserSessions(userId: userID, revokedReason: .logoutAll))
            }
            let sessions = SessionRepository(context)
            guard var session = try await sessions.find(id: sessionID), session.revokedAt == nil else { return LogoutResult(revokedSessions: 0) }
            session.revokedAt = Date()
            session.revokedReason = .logout
            _ = try await sessions.update(session)
            return LogoutResult(revokedSessions: 1)
        }
        if input.body.allDevices { auth.liveness.revokedAll(of: userID) } else { auth.liveness.revoked(sessionID, of: userID) }
        return .ok(result)
    }

    func getMe(_ input: Operations.GetMe.Input, context: Context) async throws -> Operations.GetMe.Output {
        let userID = input.principal.subject
        let user = try await database.withContext(.user(userID)) { context -> User? in
            guard let row = try await UserRepository(context).find(id: userID), row.status != .deleted else { return nil }
            return try await profile(row, in: context)
        }
        guard let user else { throw Operations.GetMe.Failure.unauthenticated("the account no longer exists") }
        return .ok(user)
    }

    // MARK: - Sessions

    /// A new session for `user` on `device`, with its first token pair.
    private func openSession(for user: UserRow, device: String?, deviceName: String?, in context: RepositoryContext) async throws -> AuthSession {
        var user = user
        // An operator named in ADMIN_EMAILS becomes an administrator when signing in (and stays one).
        if auth.adminEmails.contains(user.email.lowercased()), !user.roles.contains("admin") {
            user.roles.append("admin")
            user = try await UserRepository(context).update(user)
        }
        let refresh = RefreshToken.generate()
        let session = try await SessionRepository(context).insert(NewSession(
            userId: user.id, refreshTokenHash: ByteBuffer(bytes: refresh.digest), deviceFingerprint: Self.fingerprint(device),
            deviceName: deviceName, expiresAt: Date().addingTimeInterval(TimeInterval(auth.sessionLifetime))))
        return AuthSession(user: try await profile(user, in: context), tokens: try await tokenPair(user: user, session: session, refreshToken: refresh))
    }

    private func tokenPair(user: UserRow, session: SessionRow, refreshToken: RefreshToken) async throws -> AuthTokens {
        let access = try await auth.tokens.issue(userID: user.id, sessionID: session.id, roles: user.roles)
        return AuthTokens(
            accessToken: access, refreshToken: refreshToken.value, expiresIn: auth.tokens.lifetime,
            refreshExpiresIn: max(0, Int(session.expiresAt.timeIntervalSinceNow.rounded(.down))))
    }

    private func profile(_ user: UserRow, in context: RepositoryContext) async throws -> User {
        // The plan in effect now: the same rolled-forward subscription `/v1/subscriptions/me` shows.
        let (subscription, _) = try await SubscriptionPeriods.current(for: user.id, in: context)
        return try User(row: user, planCode: subscription.planCode)
    }

    /// What the database keeps of the client's device id: its SHA-256, or `unknown` when none was sent.
    static func fingerprint(_ device: String?) -> String {
        guard let device, !device.isEmpty else { return "unknown" }
        return "sha256:" + SHA256.hash(data: Data(device.utf8)).hexDigits
    }

    /// A rotated refresh token presented again (thrown out of the rotation's transaction).
    private struct ReusedRefreshToken: Error {
        let session: SessionRow
    }
}

extension PSQLError {
    /// A unique constraint refused the row (SQLSTATE 23505).
    var isUniqueViolation: Bool {
        serverInfo?[.sqlState] == "23505"
    }
}
