import Foundation

/// How one process runs the task pipeline: how many tasks it works on at once, how long a claimed
/// task's lease lasts and how often it is renewed, how often an idle worker looks for work, and how
/// failures are retried. `owner` names this process in the leases it takes.
public struct WorkerSettings: Sendable {
    /// Image tasks processed at once (each slot claims one task at a time).
    public var concurrency: Int
    /// Video tasks processed at once, in slots of their own (0: this process takes no video tasks).
    public var videoConcurrency = 0
    /// Seconds a lease lasts unless renewed; a task whose worker died runs again after this.
    public var leaseSeconds: Double
    /// How long an idle slot waits before it looks for work again.
    public var pollInterval: Duration
    public var retry: RetryPolicy
    /// Skip the inpainting stage (the image is passed through): only for measuring the queue
    /// and the other stages (`worker-benchmark`).
    public var skipsInpainting = false
    /// This process's name in leases: host, process id and a random suffix.
    public var owner: String

    public init(concurrency: Int = 1, leaseSeconds: Double = 30, pollInterval: Duration = .milliseconds(100), retry: RetryPolicy = RetryPolicy()) {
        self.concurrency = concurrency
        self.leaseSeconds = leaseSeconds
        self.pollInterval = pollInterval
        self.retry = retry
        let host = ProcessInfo.processInfo.hostName
        let suffix = String(UInt32.random(in: .min ... .max), radix: 36)
        self.owner = "\(host):\(ProcessInfo.processInfo.processIdentifier):\(suffix)"
    }

    /// A lease is renewed three times per lease period, so one missed renewal does not lose it.
    var heartbeatInterval: Duration { .milliseconds(Int64(leaseSeconds * 1_000 / 3)) }
}
