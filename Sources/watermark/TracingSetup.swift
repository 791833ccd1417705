import ArgumentParser
import Foundation
import Logging
import OTel
import ServiceLifecycle
import Tracing

/// Tracing for `serve` and `worker`: off unless `OTEL_EXPORTER_OTLP_ENDPOINT` (or
/// `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`) names an OTLP/HTTP receiver; then spans of requests, their
/// database statements and the task stages they lead to are exported there (swift-otel, W3C
/// `traceparent` propagation). The other `OTEL_*` variables apply as OpenTelemetry defines them.
enum TracingSetup {
    /// Installs the OTLP tracer when configured and returns the service that exports its spans (run
    /// it first in the service group, so it stops last and flushes what the others recorded); nil
    /// when tracing is off.
    static func bootstrap(serviceName: String, logger: Logger) throws -> (any Service)? {
        let environment = ProcessInfo.processInfo.environment
        let endpoints = ["OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"].filter { !(environment[$0] ?? "").isEmpty }
        guard !endpoints.isEmpty, environment["OTEL_SDK_DISABLED"]?.lowercased() != "true" else { return nil }
        // swift-otel stops the process on these rather than reporting them: refuse them first.
        for name in ["OTEL_EXPORTER_OTLP_PROTOCOL", "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL"] {
            if let value = environment[name], !["http/protobuf", "http/json"].contains(value) {
                throw ValidationError("\(name)=\(value): this build exports over http/protobuf or http/json")
            }
        }
        if let value = environment["OTEL_PROPAGATORS"],
           let other = value.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }).first(where: { !["tracecontext", "none"].contains($0) }) {
            throw ValidationError("OTEL_PROPAGATORS=\(value): only tracecontext (W3C traceparent) is supported, not \(other)")
        }
        if let value = environment["OTEL_TRACES_EXPORTER"], value != "otlp" {
            throw ValidationError("OTEL_TRACES_EXPORTER=\(value): only otlp is supported")
        }
        var configuration = OTel.Configuration.default
        configuration.serviceName = serviceName
        configuration.diagnosticLogger = .custom(logger)
        configuration.logs.enabled = false
        configuration.metrics.enabled = false
        let backend = try OTel.makeTracingBackend(configuration: configuration)
        InstrumentationSystem.bootstrap(backend.factory)
        logger.info("tracing: spans exported over OTLP", metadata: ["endpoint": "\(endpoints.map { environment[$0] ?? "" }.joined(separator: ", "))"])
        return backend.service
    }

    /// Adds the current span's `trace_id` and `span_id` to every log line written inside one.
    static var logMetadata: Logger.MetadataProvider { OTel.makeLoggingMetadataProvider() }
}
