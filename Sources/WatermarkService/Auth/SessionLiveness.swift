import Foundation
import Synchronization
import PostgresNIO
import PostgresSupport
import WatermarkDatabase

/// Whether a session named by an access token is still live (not signed out, not revoked for a
/// reused refresh token, not expired), so a revoked session's access tokens stop working before
/// they expire.
///
/// Each answer is remembered for `ttl` to spare the database a query per request; revocations made
/// by this process take effect at once, those made by another process as soon as PostgreSQL
/// announces them (`SessionRevocationListener`), at worst within `ttl`. The memory is
/// behind a lock rather than in an actor: a remembered answer (nearly every request) is read
/// without a hop to another executor.
final class SessionLiveness: Sendable {
    private typealias Answer = (user: UUID, live: Bool, checked: ContinuousClock.Instant)
    private let database: Database
    private let ttl: Duration
    private let answers = Mutex<[UUID: Answer]>([:])
    private let clock = ContinuousClock()

    init(database: Database, ttl: Duration = .seconds(10)) {
        self.database = database
        self.ttl = ttl
    }

    /// Whether `session` of `user` may still be used.
    func isLive(session: UUID, user: UUID) async throws -> Bool {
        let now = clock.now
        if let live = answers.withLock({ answers -> Bool? in
            guard let answer = answers[session], now - answer.checked < ttl else { return nil }
            return answer.live
        }) {
            return live
        }
        let live = try await Self.storedAnswer(database, session: session, user: user)
        answers.withLock { answers in
            if answers.count > 50_000 { answers = answers.filter { now - $0.value.checked < ttl } }
            // A revocation recorded while the database was asked wins.
            if let recorded = answers[session], !recorded.live, recorded.checked >= now { return }
            answers[session] = (user, live, now)
        }
        return live
    }

    /// What the database says (under the user's row-level security: another user's session is not found).
    private static func storedAnswer(_ database: Database, session: UUID, user: UUID) async throws -> Bool {
        try await database.withContext(.user(user)) { context in
            guard let row = try await SessionRepository(context).find(id: session) else { return false }
            return row.revokedAt == nil && row.expiresAt > Date()
        }
    }

    /// `session` was revoked by this process.
    func revoked(_ session: UUID, of user: UUID) {
        let now = clock.now
        answers.withLock { $0[session] = (user, false, now) }
    }

    /// Another instance (or this one) revoked `session`: PostgreSQL announced it
    /// (`SessionRevocationListener`). A session not remembered is asked again when it is next used.
    func heardRevocation(of session: UUID) {
        let now = clock.now
        answers.withLock { answers in
            if let answer = answers[session] { answers[session] = (answer.user, false, now) }
        }
    }

    /// Every session of `user` was revoked by this process (those not remembered are asked again).
    func revokedAll(of user: UUID) {
        answers.withLock { answers in
            for (session, answer) in answers where answer.user == user {
                answers[session] = (user, false, answer.checked)
            }
        }
    }
}
