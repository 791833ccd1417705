import Foundation

/// A sliding-window limit per subject (an email address, a user, a refresh token): at most `limit`
/// attempts per `window`, counted in this process. A refused attempt is told how many seconds to
/// wait (`Retry-After`).
actor RateLimiter {
    let limit: Int
    let window: Duration
    private var attempts: [String: [ContinuousClock.Instant]] = [:]
    private let clock = ContinuousClock()

    init(limit: Int, window: Duration = .seconds(60)) {
        self.limit = limit
        self.window = window
    }

    /// Records an attempt for `subject`; nil when it may go ahead, else the whole seconds until it may.
    func attempt(_ subject: String) -> Int? {
        let now = clock.now
        var recent = attempts[subject, default: []].filter { now - $0 < window }
        if recent.count >= limit, let oldest = recent.first {
            attempts[subject] = recent
            let wait = window - (now - oldest)
            return max(1, Int((Double(wait.components.seconds) + Double(wait.components.attoseconds) / 1e18).rounded(.up)))
        }
        recent.append(now)
        attempts[subject] = recent
        if attempts.count > 10_000 { attempts = attempts.filter { !$0.value.allSatisfy { now - $0 >= window } } }
        return nil
    }
}
