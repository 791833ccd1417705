import Foundation

/// Runs an executable SwiftPM built beside the running test bundle (`swift build` puts `watermark`
/// and `watermark-remove` there) and collects what it printed and how it ended.
struct BuiltExecutable {
    /// What one run printed and its exit status.
    struct Outcome {
        let status: Int32
        let stdout: String
        let stderr: String

        /// The non-empty lines of standard error.
        var errorLines: [Substring] { stderr.split(separator: "\n") }
    }

    let path: String

    /// The executable `name` in the directory of the running test bundle.
    init(_ name: String) {
        let bundle = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        path = URL(fileURLWithPath: bundle).deletingLastPathComponent().appendingPathComponent(name).path
    }

    init(path: String) {
        self.path = path
    }

    var isBuilt: Bool { FileManager.default.isExecutableFile(atPath: path) }

    /// Runs it with `arguments` to completion (standard input is /dev/null, so not a terminal), in this process's
    /// environment or in `environment`.
    func run(_ arguments: [String], environment: [String: String]? = nil) throws -> Outcome {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("cli-\(UUID().uuidString)").path
        let outPath = scratch + ".out", errPath = scratch + ".err"
        defer { unlink(outPath); unlink(errPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        var cArguments = ([path] + arguments).map { strdup($0) } + [nil]
        defer { cArguments.forEach { free($0) } }
        var cEnvironment = environment.map { $0.map { strdup("\($0.key)=\($0.value)") } + [nil] }
        defer { cEnvironment?.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = cEnvironment == nil
            ? posix_spawn(&pid, path, &actions, nil, &cArguments, environ)
            : posix_spawn(&pid, path, &actions, nil, &cArguments, &cEnvironment!)
        guard spawned == 0 else { throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .EIO) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1, errno == EINTR {}
        let exited = (status & 0x7f) == 0
        return Outcome(
            status: exited ? (status >> 8) & 0xff : 128 + (status & 0x7f),
            stdout: (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "")
    }
}
