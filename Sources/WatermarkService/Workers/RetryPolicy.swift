import Foundation

/// When a task whose processing failed for a passing reason (storage or database trouble, a worker
/// that stopped responding) runs again: at most `maxRetries` more attempts, the n-th after
/// `baseDelay · 2ⁿ` seconds, spread by ±`jitter` so tasks that failed together do not return together.
public struct RetryPolicy: Sendable, Hashable {
    /// Automatic retries after the first attempt (the tasks table allows 0...2).
    public var maxRetries: Int
    /// Seconds before the first retry.
    public var baseDelay: TimeInterval
    /// Relative spread of each delay (0.2 = ±20 %).
    public var jitter: Double

    public init(maxRetries: Int = 2, baseDelay: TimeInterval = 2, jitter: Double = 0.2) {
        self.maxRetries = maxRetries
        self.baseDelay = baseDelay
        self.jitter = jitter
    }

    /// Whether a task that has had `retries` automatic retries may have another.
    func allowsRetry(after retries: Int32) -> Bool {
        Int(retries) < maxRetries
    }

    /// The wait before retry number `retry` (0 for the first), with `spread` in -1...1 picking the jitter.
    func delay(beforeRetry retry: Int32, spread: Double = .random(in: -1...1)) -> TimeInterval {
        baseDelay * pow(2, Double(retry)) * (1 + jitter * max(-1, min(1, spread)))
    }
}
