import ArgumentParser
import Foundation
import Logging
import WatermarkService

extension ServiceConfiguration {
    /// The environment's configuration, with a bad setting reported as a usage error.
    static func fromEnvironmentForCommand() throws -> ServiceConfiguration {
        do {
            return try ServiceConfiguration.fromEnvironment()
        } catch {
            throw ValidationError(error.description)
        }
    }
}

extension Logger {
    /// Sets up logging as `LOG_LEVEL` (default info) and `LOG_FORMAT` (json, default, or text) say,
    /// with the trace and span ids of the current span (when tracing is on), and returns the
    /// command's logger.
    static func bootstrapForCommand() throws -> Logger {
        let environment = ProcessInfo.processInfo.environment
        let level = environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
        let traced = TracingSetup.logMetadata
        switch environment["LOG_FORMAT"] ?? "json" {
        case "json": LoggingSystem.bootstrap({ JSONLogHandler(label: $0, level: level, metadataProvider: $1) }, metadataProvider: traced)
        case "text":
            LoggingSystem.bootstrap({ var handler = StreamLogHandler.standardError(label: $0, metadataProvider: $1); handler.logLevel = level; return handler }, metadataProvider: traced)
        case let other: throw ValidationError("LOG_FORMAT=\(other): expected json or text")
        }
        var logger = Logger(label: "watermark")
        logger.logLevel = level
        return logger
    }
}
