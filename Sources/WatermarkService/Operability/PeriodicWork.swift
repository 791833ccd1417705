import Logging
import ServiceLifecycle

/// Runs `work` now and then every `interval` until graceful shutdown (the wait between runs ends
/// early then); a run that throws is logged as `failure` and the work is tried again at the next
/// interval. The loop of the service's periodic sweeps (account purge, audit log retention,
/// expired data).
func repeatUntilShutdown(every interval: Duration, logger: Logger, failure: String, _ work: () async throws -> Void) async {
    while !Task.isShuttingDownGracefully {
        do {
            try await work()
        } catch {
            logger.error("\(failure); next try in \(interval): \(error)")
        }
        try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
    }
}
