import ArgumentParser
import Foundation
import Logging
import WatermarkService

/// `watermark worker`: task workers without the API, for scaling the pipeline out over several
/// processes or machines that share the service's PostgreSQL and storage.
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Run task workers against the database and storage of a running service (DATABASE_URL is required).")

    @Option(name: .customLong("database-url"), help: "postgres://… (default: $DATABASE_URL).") var databaseURL: String?
    @Option(name: .long, help: "Directory of uploads and results, as the service's (default: $STORAGE_DIR or .watermark/storage).") var storage: String?
    @Option(name: .long, help: "Tasks worked on at once (default: $WORKER_CONCURRENCY or 1).") var concurrency: Int?

    func run() async throws {
        var configuration = try ServiceConfiguration.fromEnvironmentForCommand()
        if let databaseURL { configuration.databaseURL = databaseURL }
        if let storage { configuration.storageDirectory = storage }
        if let concurrency {
            guard (1...64).contains(concurrency) else { throw ValidationError("--concurrency must be between 1 and 64") }
            configuration.workerConcurrency = concurrency
        }
        let logger = try Logger.bootstrapForCommand()
        let tracing = try TracingSetup.bootstrap(serviceName: "watermark-worker", logger: logger)
        do {
            try await WatermarkServer.runWorkers(configuration, logger: logger, tracing: tracing)
        } catch let invalid as ServiceConfiguration.Invalid {
            throw ValidationError(invalid.description)
        }
    }
}
