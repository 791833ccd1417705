import Foundation

/// How webhooks are sent: attempts per delivery and the wait before each retry (the plan's windows,
/// 1m, 2m, 5m, 15m, 30m, 60m: seven attempts in all), the time a receiver has to answer, and how
/// many deliveries one process sends at once. The outbox's own retries use `outboxAttempts` and an
/// exponential backoff.
public struct WebhookSettings: Sendable, Hashable {
    public var maxAttempts: Int
    public var retry: WebhookRetrySchedule
    public var requestTimeout: Duration
    public var concurrency: Int
    /// Attempts to publish an outbox event before it is DEAD.
    public var outboxAttempts: Int
    public var outboxRetry: RetryPolicy
    /// How often an idle dispatcher or sender looks for due work.
    public var pollInterval: Duration
    /// Whether webhooks may go to loopback, private and other non-public addresses
    /// (`WebhookAddressPolicy`). nil: as the service's mode decides
    /// (`ServiceConfiguration.effectiveWebhooks`: allowed in development, refused in production);
    /// a `WebhookSender` given nil refuses them.
    public var allowsPrivateAddresses: Bool?

    public init(
        maxAttempts: Int = 7, retry: WebhookRetrySchedule = .plan, requestTimeout: Duration = .seconds(10), concurrency: Int = 4,
        outboxAttempts: Int = 5, outboxRetry: RetryPolicy = RetryPolicy(baseDelay: 5), pollInterval: Duration = .milliseconds(250),
        allowsPrivateAddresses: Bool? = nil
    ) {
        self.maxAttempts = maxAttempts
        self.retry = retry
        self.requestTimeout = requestTimeout
        self.concurrency = concurrency
        self.outboxAttempts = outboxAttempts
        self.outboxRetry = outboxRetry
        self.pollInterval = pollInterval
        self.allowsPrivateAddresses = allowsPrivateAddresses
    }
}
