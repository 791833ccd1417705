import Foundation
import PostgresSupport
import Testing
@testable import WatermarkService

/// A `watermark worker` child process (the executable SwiftPM built beside the test bundle) working
/// for a test's service: its database through the cluster's socket as the service's role, its
/// storage directory and signing key. Output goes to `logPath` (JSON lines).
final class WorkerProcess {
    let pid: pid_t
    let logPath: String
    private var reaped = false

    /// The `watermark` executable next to the running test bundle (`swift build` puts it there).
    static var executable: String {
        let bundle = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: bundle).deletingLastPathComponent().appendingPathComponent("watermark").path
    }

    /// `temporaryDirectory` becomes the worker's `TMPDIR` (where its scratch directories go).
    init(for harness: ServiceHarness, name: String, concurrency: Int = 1, leaseSeconds: Int = 1, temporaryDirectory: String? = nil) throws {
        let executable = Self.executable
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw ServiceConfiguration.Invalid(description: "\(executable) is missing: run `swift build` before the tests")
        }
        logPath = harness.configuration.storageDirectory + "/../\(name).log"
        var environment = ProcessInfo.processInfo.environment
        environment["DATABASE_URL"] = "postgres://\(WatermarkServer.serviceRole)@localhost:5432/service?host=\(harness.cluster.socketDirectory)"
        environment["STORAGE_DIR"] = harness.configuration.storageDirectory
        environment["JWT_PRIVATE_KEY_FILE"] = harness.configuration.developmentKeyFile
        environment["WORKER_CONCURRENCY"] = String(concurrency)
        environment["WORKER_LEASE_SECONDS"] = String(leaseSeconds)
        environment["LOG_FORMAT"] = "json"
        environment["LOG_LEVEL"] = "info"
        if let temporaryDirectory { environment["TMPDIR"] = temporaryDirectory }
        let argv = [executable, "worker"]
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var cArguments = argv.map { strdup($0) } + [nil]
        var cEnvironment = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            cArguments.forEach { free($0) }
            cEnvironment.forEach { free($0) }
        }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, nil, &cArguments, &cEnvironment)
        guard spawned == 0 else { throw ServiceConfiguration.Invalid(description: "cannot start \(executable): \(String(cString: strerror(spawned)))") }
        self.pid = pid
    }

    /// Sends `signal` and waits for the process to end; returns its wait status.
    @discardableResult
    func stop(_ signal: Int32 = SIGTERM) -> Int32 {
        guard !reaped else { return 0 }
        kill(pid, signal)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1, errno == EINTR {}
        reaped = true
        return status
    }

    /// What the process logged.
    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// How many log lines carry `message`.
    func count(_ message: String) -> Int {
        log.split(separator: "\n").filter { $0.contains("\"message\":\"\(message)\"") }.count
    }

    deinit { stop(SIGKILL) }
}
