/// Sends an idempotent request again (a GET, or a POST with an `Idempotency-Key`, which keeps its key)
/// when the connection failed or the server answered 429/502/503/504, waiting as `RetryPolicy` says.
/// Other requests are sent once: repeating them could do the thing twice.
public struct RetryMiddleware: ClientMiddleware {
    public var policy: RetryPolicy

    public init(policy: RetryPolicy = RetryPolicy()) {
        self.policy = policy
    }

    public func intercept(_ request: ClientRequest, next: @Sendable (ClientRequest) async throws -> ClientResponse) async throws -> ClientResponse {
        guard request.isIdempotent else { return try await next(request) }
        var attempt = 1
        while true {
            do {
                let response = try await next(request)
                guard policy.retriedStatuses.contains(response.status) else { return response }
                guard let wait = policy.delay(
                    after: attempt, retryAfterSeconds: response.header("Retry-After").flatMap { Int($0) }, random: Double.random(in: 0...1))
                else { return response }
                try await Task.sleep(for: wait)
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                guard let wait = policy.delay(after: attempt, retryAfterSeconds: nil, random: Double.random(in: 0...1)) else { throw error }
                try await Task.sleep(for: wait)
            }
            attempt += 1
        }
    }
}
