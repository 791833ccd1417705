import ArgumentParser
import Foundation
import Logging
import PostgresNIO
import PostgresSupport
import WatermarkDatabase

/// `watermark migrate up|down|status`: applies, reverts or lists the migrations compiled in from
/// `contracts/db/migrations` (or those of `--migrations DIR`) against `DATABASE_URL`.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply, revert or list database migrations (DATABASE_URL).",
        subcommands: [Up.self, Down.self, Status.self])

    /// Options every migrate subcommand takes.
    struct Options: ParsableArguments {
        @Option(name: .long, help: "A migrations directory to use instead of the migrations compiled in.")
        var migrations: String?

        @Option(name: .customLong("database-url"), help: "postgres://user:password@host:port/database (default: $DATABASE_URL).")
        var databaseURL: String?

        /// Runs `body` with a runner connected to the database.
        func withRunner<Result: Sendable>(_ body: (MigrationRunner) async throws -> Result) async throws -> Result {
            guard let url = databaseURL ?? ProcessInfo.processInfo.environment["DATABASE_URL"] else {
                throw ValidationError("set DATABASE_URL (or --database-url) to the database to migrate; `watermark serve` migrates its embedded database itself")
            }
            let configuration: PostgresClient.Configuration
            do {
                configuration = try DatabaseURL.configuration(url)
            } catch {
                throw ValidationError(error.description)
            }
            var set = DatabaseMigrations.all
            if let migrations {
                do {
                    set = try MigrationSet.load(directory: migrations)
                } catch {
                    throw ValidationError(error.description)
                }
            }
            return try await PostgresClient.withRunning(configuration, logger: Logger(label: "migrate")) { client in
                try await body(MigrationRunner(client: client, migrations: set))
            }
        }
    }

    struct Up: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Apply pending migrations (up to --to).")
        @OptionGroup var options: Options
        @Option(name: .long, help: "The last version to apply.") var to: Int?

        func run() async throws {
            let applied = try await options.withRunner { try await $0.up(to: to) }
            print(applied.isEmpty ? "nothing to apply" : applied.map { "applied \($0.version) \($0.name)" }.joined(separator: "\n"))
        }
    }

    struct Down: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revert migrations above --to (0 reverts all).")
        @OptionGroup var options: Options
        @Option(name: .long, help: "The version to keep (0: revert everything).") var to: Int

        func run() async throws {
            let reverted = try await options.withRunner { try await $0.down(to: to) }
            print(reverted.isEmpty ? "nothing to revert" : reverted.map { "reverted \($0.version) \($0.name)" }.joined(separator: "\n"))
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List migrations and whether each is applied.")
        @OptionGroup var options: Options

        func run() async throws {
            let status = try await options.withRunner { try await $0.status() }
            let formatter = ISO8601DateFormatter()
            for row in status {
                let version = String(repeating: "0", count: max(0, 4 - String(row.version).count)) + String(row.version)
                print("\(version) \(row.name) \(row.appliedAt.map { "applied " + formatter.string(from: $0) } ?? "pending")")
            }
        }
    }
}
