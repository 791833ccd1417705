import Crypto
import Foundation
import PostgresSupport
import WatermarkDatabase

/// A limit per subject (an email address, a user, a refresh token): at most `limit` attempts per
/// `window`, counted in PostgreSQL (`rate_limit_counters`, fixed windows) so every instance of the
/// service shares it, and judged as a sliding window: the attempts of the current window plus the
/// previous window's weighted by how much of it still lies within one `window` back (so a burst
/// across a window boundary is not allowed twice the limit). A refused attempt is told how many
/// seconds to wait (`Retry-After`): until its window ends.
struct RateLimiter: Sendable {
    let limit: Int
    let window: Duration
    let database: Database

    init(limit: Int, window: Duration = .seconds(60), database: Database) {
        self.limit = limit
        self.window = window
        self.database = database
    }

    /// Records an attempt for `subject`; nil when it may go ahead, else the whole seconds until it may.
    func attempt(_ subject: String) async throws -> Int? {
        let seconds = Double(window.components.seconds) + Double(window.components.attoseconds) / 1e18
        let subjectHash = Self.hash(subject)
        let counted = try await database.withSystemStatements { context in
            try await NamedQueries(context).countRateLimitAttempt(subjectHash: subjectHash, windowSeconds: seconds)
        }
        guard let counted else { return nil }
        let elapsed = min(max(-counted.windowStart.timeIntervalSinceNow / seconds, 0), 1)
        let weighted = Double(counted.attempts) + Double(counted.previousAttempts) * (1 - elapsed)
        guard weighted > Double(limit) else { return nil }
        let left = counted.windowStart.addingTimeInterval(seconds).timeIntervalSinceNow
        return max(1, Int(left.rounded(.up)))
    }

    /// Subjects are kept as hex SHA-256: an email address is not stored in the clear.
    static func hash(_ subject: String) -> String {
        SHA256.hash(data: Data(subject.utf8)).hexDigits
    }
}
