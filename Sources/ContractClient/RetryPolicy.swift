/// When and how long `RetryMiddleware` waits: exponential backoff with full jitter, a server's
/// `Retry-After` honoured when it is not longer than `longestWait`.
public struct RetryPolicy: Sendable {
    /// Attempts in all, the first included.
    public var attempts: Int
    public var firstDelay: Duration
    public var longestWait: Duration
    /// Answers worth trying again: too many requests, and a gateway or the service unavailable.
    public var retriedStatuses: Set<Int>

    public init(attempts: Int = 4, firstDelay: Duration = .milliseconds(200), longestWait: Duration = .seconds(30), retriedStatuses: Set<Int> = [429, 502, 503, 504]) {
        self.attempts = max(1, attempts)
        self.firstDelay = firstDelay
        self.longestWait = longestWait
        self.retriedStatuses = retriedStatuses
    }

    /// The wait before attempt `attempt + 1` (after `attempt` attempts), or nil to give up.
    public func delay(after attempt: Int, retryAfterSeconds: Int?, random: Double) -> Duration? {
        guard attempt < attempts else { return nil }
        if let retryAfterSeconds {
            let wait = Duration.seconds(retryAfterSeconds)
            return wait <= longestWait ? wait : nil
        }
        let ceiling = min(firstDelay * (1 << min(attempt - 1, 20)), longestWait)
        return ceiling * max(0, min(1, random))
    }
}
