import CoreMetrics
import Foundation
import Prometheus
import WatermarkDatabase

/// The service's metrics, in Prometheus' text format at `/metrics`: each service instance has its
/// own registry (no process-wide bootstrap, so tests and several servers in one process do not
/// share counters). Other parts of the service make their metrics through `factory`.
public struct ServiceMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    public let factory: PrometheusMetricsFactory

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

    /// The current values, in Prometheus' text exposition format.
    func exposition() -> [UInt8] {
        registry.emitToBuffer()
    }
}
