import ContractRuntime
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization
import Testing
import WatermarkClient
@testable import WatermarkService

/// What operators see: health and readiness, Prometheus metrics, and JSON log lines that carry
/// the request id.
@Suite("watermark serve: health, metrics and logs")
struct OperabilityTests {
    /// Keeps every log line it is given.
    final class CapturedLines: Sendable {
        let lines = Mutex<[(message: String, metadata: Logger.Metadata)]>([])
    }

    struct CapturingHandler: LogHandler {
        let captured: CapturedLines
        var logLevel: Logger.Level = .info
        var metadata: Logger.Metadata = [:]
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            let all = metadata.merging(event.metadata ?? [:]) { _, new in new }
            captured.lines.withLock { $0.append((event.message.description, all)) }
        }
    }

    @Test func healthReadinessAndMetricsAreServed() async throws {
        let metrics = ServiceMetrics()
        try await ServiceHarness.with(metrics: metrics) { app, harness in
            try await app.test(.router) { client in
                let health = try await client.execute(uri: "/healthz", method: .get)
                #expect(health.status == .ok && String(buffer: health.body) == "ok\n")
                // Readiness is polled: the first answers may be 503 while the pool opens its first
                // connection (each check waits 2 s at most; a loaded machine can take longer).
                var ready = false
                for _ in 0..<30 where !ready {
                    ready = try await client.execute(uri: "/readyz", method: .get).status == .ok
                    if !ready { try await Task.sleep(for: .seconds(1)) }
                }
                #expect(ready)
                // Two refused requests (raw: no token on purpose) and one a client makes.
                _ = try await client.send(.get, "/v1/auth/me")
                _ = try await client.send(.get, "/v1/auth/me")
                _ = try await APIClient.inProcess(client).getCapabilities()
                let exposition = try await client.execute(uri: "/metrics", method: .get)
                #expect(exposition.status == .ok)
                let text = String(buffer: exposition.body)
                #expect(text.contains(#"api_requests_total{method="GET",route="/v1/auth/me",status="401"} 2"#), "\(text)")
                #expect(text.contains(#"api_errors_total{method="GET",route="/v1/auth/me",status="401"} 2"#))
                #expect(text.contains(#"api_requests_total{method="GET",route="/v1/system/capabilities",status="200"} 1"#))
                #expect(!text.contains(#"api_errors_total{method="GET",route="/v1/system/capabilities""#))
                #expect(text.contains(#"api_request_duration_seconds_count{method="GET",route="/v1/auth/me"} 2"#))
                harness.cluster.stop()
                let notReady = try await client.execute(uri: "/readyz", method: .get)
                #expect(notReady.status == .serviceUnavailable)
                #expect(try await client.execute(uri: "/healthz", method: .get).status == .ok, "the process is still alive")
            }
        }
    }

    @Test func everyRequestIsLoggedWithItsRequestID() async throws {
        let captured = CapturedLines()
        let logger = Logger(label: "watermark") { _ in CapturingHandler(captured: captured) }
        try await ServiceHarness.with(logger: logger) { app, _ in
            try await app.test(.router) { client in
                let given = try await client.send(.get, "/v1/auth/me", headers: ["X-Request-Id": "req-given-1"])
                let made = try await client.send(.get, "/v1/nowhere")
                let madeID = try #require(made.headers[HTTPField.Name("X-Request-Id")!])
                #expect(given.headers[HTTPField.Name("X-Request-Id")!] == "req-given-1")
                let requests = captured.lines.withLock { $0.filter { $0.message == "request" } }
                #expect(requests.map { $0.metadata["request_id"]?.description } == ["req-given-1", madeID])
                #expect(requests.map { $0.metadata["status"]?.description } == ["401", "404"])
                #expect(requests.map { $0.metadata["route"]?.description } == ["/v1/auth/me", "NotFound"])
            }
        }
    }

    @Test func jsonLogLinesAreOneObjectPerLine() throws {
        let line = JSONLogHandler.line(
            label: "watermark", level: .warning, message: "quote \" and\nnewline",
            metadata: ["request_id": "req-1", "status": .stringConvertible(401), "tags": ["a", "b"]],
            source: "WatermarkService", time: Date(timeIntervalSince1970: 1_764_150_000.25))
        #expect(line.hasSuffix("}\n") && !line.dropLast().contains("\n"))
        guard case .object(let object) = try JSONParser.parse(String(line.dropLast())) else { throw ContractValidationError([]) }
        #expect(object["level"] == .string("warning") && object["logger"] == .string("watermark"))
        #expect(object["message"] == .string("quote \" and\nnewline"))
        #expect(object["request_id"] == .string("req-1") && object["status"] == .string("401"))
        #expect(object["tags"] == .array([.string("a"), .string("b")]))
        #expect(object["time"] == .string("2025-11-26T09:40:00.250Z"))
    }
}
