import CoreMetrics
import Foundation
import PostgresSupport
import Prometheus
import Synchronization
import WatermarkDatabase

/// The service's metrics, in Prometheus' text format at `/metrics`: each service instance has its
/// own registry (no process-wide bootstrap, so tests and several servers in one process do not
/// share counters). Other parts of the service make their metrics through `factory`.
public final class ServiceMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    public let factory: PrometheusMetricsFactory
    /// Webhook attempts and deliveries of this process, for `webhook_success_rate`.
    private let webhookTally = Mutex<(attempts: Int, delivered: Int)>((0, 0))

    public init() {
        registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        // Seconds, from a fast cache hit to a slow upload.
        factory.defaultDurationHistogramBuckets = [
            .milliseconds(1), .milliseconds(2.5), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
            .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5), .seconds(10),
        ]
        self.factory = factory
    }

    /// Counts a finished request (`api_requests_total`, and `api_errors_total` when its status is
    /// 4xx or 5xx) and records its duration (`api_request_duration_seconds`), by method, route
    /// template and status.
    func requestFinished(method: String, route: String, status: Int, duration: Duration) {
        let dimensions = [("method", method), ("route", route), ("status", String(status))]
        Counter(label: "api_requests_total", dimensions: dimensions, factory: factory).increment()
        if status >= 400 {
            Counter(label: "api_errors_total", dimensions: dimensions, factory: factory).increment()
        }
        CoreMetrics.Timer(label: "api_request_duration_seconds", dimensions: [("method", method), ("route", route)], factory: factory)
            .record(duration: duration)
    }

    /// Counts a task created through the API (`tasks_created_total`, by mode).
    func taskCreated(mode: String) {
        Counter(label: "tasks_created_total", dimensions: [("mode", mode)], factory: factory).increment()
    }

    /// Counts a task that reached SUCCEEDED (`tasks_completed_total`) or FAILED (`tasks_failed_total`), by mode.
    func taskFinished(status: TaskStatusEnum, mode: String) {
        let label = status == .succeeded ? "tasks_completed_total" : "tasks_failed_total"
        Counter(label: label, dimensions: [("mode", mode)], factory: factory).increment()
    }

    /// Records how long a pipeline stage took (`task_stage_duration_seconds`, by stage and mode).
    func stageFinished(_ stage: TaskStatusEnum, mode: String, duration: Duration) {
        CoreMetrics.Timer(label: "task_stage_duration_seconds", dimensions: [("stage", stage.rawValue), ("mode", mode)], factory: factory)
            .record(duration: duration)
    }

    /// Counts a webhook attempt (`webhook_attempts_total` by outcome, `webhook_retry_total` when
    /// another attempt is scheduled) and updates `webhook_success_rate`, the delivered share of all
    /// attempts since the process started.
    func webhookAttempt(delivered: Bool, retried: Bool) {
        Counter(label: "webhook_attempts_total", dimensions: [("outcome", delivered ? "delivered" : "failed")], factory: factory).increment()
        if retried { Counter(label: "webhook_retry_total", factory: factory).increment() }
        let rate = webhookTally.withLock { tally in
            tally.attempts += 1
            if delivered { tally.delivered += 1 }
            return Double(tally.delivered) / Double(tally.attempts)
        }
        Gauge(label: "webhook_success_rate", factory: factory).record(rate)
    }

    /// Counts a dead letter written (`dead_letters_total`, by source: TASK, OUTBOX, WEBHOOK).
    func deadLetterWritten(source: String) {
        Counter(label: "dead_letters_total", dimensions: [("source", source)], factory: factory).increment()
    }

    /// Sets `queue_depth`, the tasks waiting in QUEUED.
    func queueDepth(_ tasks: Int64) {
        Gauge(label: "queue_depth", factory: factory).record(Double(tasks))
    }

    /// Sets `database_connections_active` (requests at work on the database) and
    /// `database_requests_waiting` (requests waiting for a turn) from the admission gate.
    func databaseAdmission(_ snapshot: ConnectionAdmission.Snapshot) {
        Gauge(label: "database_connections_active", factory: factory).record(Double(snapshot.active))
        Gauge(label: "database_requests_waiting", factory: factory).record(Double(snapshot.waiting))
    }

    /// Counts a request the admission gate refused with 50301 (`database_requests_shed_total`).
    func databaseRequestShed() {
        Counter(label: "database_requests_shed_total", factory: factory).increment()
    }

    /// The current values, in Prometheus' text exposition format.
    func exposition() -> [UInt8] {
        registry.emitToBuffer()
    }
}
