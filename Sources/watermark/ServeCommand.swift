import ArgumentParser
import Foundation
import Logging
import WatermarkService

/// `watermark serve`: the service, on embedded defaults unless configured (environment variables,
/// overridden by these flags; see README).
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Run the watermark service (embedded PostgreSQL unless DATABASE_URL is set).")

    @Option(name: .long, help: "Address to listen on (default: $HOST or 127.0.0.1).") var host: String?
    @Option(name: .long, help: "Port to listen on (default: $PORT or 8080).") var port: Int?
    @Option(name: .customLong("database-url"), help: "postgres://… (default: $DATABASE_URL, else an embedded PostgreSQL).") var databaseURL: String?
    @Option(name: .long, help: "A directory of migrations to apply at start (default: $MIGRATIONS_DIR, else those compiled in).") var migrations: String?
    @Option(name: .long, help: "Directory for uploads and results (default: $STORAGE_DIR or .watermark/storage).") var storage: String?

    func run() async throws {
        var configuration = try ServiceConfiguration.fromEnvironmentForCommand()
        if let host { configuration.host = host }
        if let port {
            guard (1...65_535).contains(port) else { throw ValidationError("--port must be between 1 and 65535") }
            configuration.port = port
        }
        if let databaseURL { configuration.databaseURL = databaseURL }
        if let migrations { configuration.migrationsDirectory = migrations }
        if let storage { configuration.storageDirectory = storage }
        let logger = try Logger.bootstrapForCommand()
        let tracing = try TracingSetup.bootstrap(serviceName: "watermark", logger: logger)
        try await WatermarkServer.run(configuration, logger: logger, tracing: tracing)
    }
}
