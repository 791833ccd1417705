import Foundation
import Logging
import PostgresNIO
import PostgresSupport

/// A throwaway PostgreSQL 15 cluster for development and tests: `initdb` into a temporary directory,
/// a Unix socket only (no TCP port to collide on), trust authentication, `fsync` off. It is stopped
/// and deleted by `stop()`, and — through a watchdog process — when the process that started it
/// exits for any reason, a crashed test run included.
public final class EmbeddedPostgres: Sendable {
    /// The directory holding the data directory, the socket and the log.
    public let root: String
    /// The directory of the Unix socket (`/…/.s.PGSQL.5432`).
    public var socketDirectory: String { root }
    public var socketPath: String { root + "/.s.PGSQL.5432" }
    public let superuser = "postgres"
    private let binaries: PostgresBinaries
    private let runner: CommandRunner

    private init(root: String, binaries: PostgresBinaries, runner: CommandRunner) {
        self.root = root
        self.binaries = binaries
        self.runner = runner
    }

    /// Creates and starts a cluster (about 1–2 s).
    public static func start(binaries: PostgresBinaries? = nil, logger: Logger = Logger(label: "embedded-postgres")) throws(EmbeddedPostgresError) -> EmbeddedPostgres {
        let binaries = try Self.binaries(binaries)
        let runner = try CommandRunner()
        let template = FileManager.default.temporaryDirectory.appendingPathComponent("watermark-pg-XXXXXX").path
        var buffer = Array(template.utf8CString)
        guard let made = mkdtemp(&buffer) else {
            throw .commandFailed(command: "mkdtemp \(template)", status: errno, output: String(cString: strerror(errno)))
        }
        let root = String(cString: made)
        try runner.handOver(root)
        let cluster = EmbeddedPostgres(root: root, binaries: binaries, runner: runner)
        do {
            try runner.run(binaries.path("initdb"), ["-D", root + "/data", "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8", "--locale", "C"])
            try runner.run(binaries.path("pg_ctl"), [
                "-D", root + "/data", "-w", "-l", root + "/log", "-o",
                "-k \(root) -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 -p 5432",
                "start",
            ])
        } catch {
            try? FileManager.default.removeItem(atPath: root)
            throw error
        }
        cluster.startWatchdog()
        logger.info("embedded PostgreSQL started", metadata: ["socket": .string(cluster.socketPath)])
        return cluster
    }

    private static func binaries(_ given: PostgresBinaries?) throws(EmbeddedPostgresError) -> PostgresBinaries {
        if let given { return given }
        return try PostgresBinaries.locate()
    }

    /// Stops the cluster and deletes its files.
    public func stop() {
        _ = try? runner.run(binaries.path("pg_ctl"), ["-D", root + "/data", "-m", "immediate", "-w", "stop"])
        try? FileManager.default.removeItem(atPath: root)
    }

    /// Creates database `name` (owned by the superuser).
    public func createDatabase(_ name: String, logger: Logger = Logger(label: "embedded-postgres")) async throws {
        try await PostgresClient.withRunning(configuration(database: "postgres"), logger: logger) { client in
            try await client.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \"\(name.replacingOccurrences(of: "\"", with: "\"\""))\""), logger: logger)
        }
    }

    /// How to connect to `database` as the superuser.
    public func configuration(database: String) -> PostgresClient.Configuration {
        PostgresClient.Configuration(unixSocketPath: socketPath, username: superuser, password: nil, database: database)
    }

    /// A shell loop that stops the cluster once this process is gone, so no cluster outlives a crashed run.
    private func startWatchdog() {
        let pid = getpid()
        let stop = "\(binaries.path("pg_ctl")) -D \(root)/data -m immediate stop"
        let cleanup = runner.asServiceUser ? "runuser -u postgres -- \(stop)" : stop
        let script = "while kill -0 \(pid) 2>/dev/null; do sleep 1; done; \(cleanup) >/dev/null 2>&1; rm -rf \(root)"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try? process.run()
    }
}
