import Foundation

/// Runs the cluster's programs, as the `postgres` user when this process is root (initdb and
/// postgres refuse to run as root).
///
/// Programs are started with `posix_spawn` and awaited with `waitpid`, their output going to a
/// temporary file: `pg_ctl start` leaves a server running that would keep a pipe open, and
/// Foundation's `Process` was seen to miss the exit of `runuser` here.
struct CommandRunner: Sendable {
    let asServiceUser: Bool

    init() throws(EmbeddedPostgresError) {
        asServiceUser = geteuid() == 0
        if asServiceUser, getpwnam("postgres") == nil { throw .serviceUserMissing }
    }

    /// Runs `program` with `arguments` to completion; a non-zero exit is an error carrying its output.
    @discardableResult
    func run(_ program: String, _ arguments: [String]) throws(EmbeddedPostgresError) -> String {
        let argv = asServiceUser ? ["/usr/sbin/runuser", "-u", "postgres", "--", program] + arguments : [program] + arguments
        let outputPath = FileManager.default.temporaryDirectory.appendingPathComponent("pg-command-\(UUID().uuidString).log").path
        defer { unlink(outputPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var cArguments = argv.map { strdup($0) } + [nil]
        defer { cArguments.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, argv[0], &actions, nil, &cArguments, environ)
        guard spawned == 0 else {
            throw .commandFailed(command: argv.joined(separator: " "), status: spawned, output: String(cString: strerror(spawned)))
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 {
            guard errno == EINTR else { break }
        }
        let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        let exited = (status & 0x7f) == 0
        let code = exited ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        guard code == 0 else {
            throw .commandFailed(command: argv.joined(separator: " "), status: code, output: output)
        }
        return output
    }

    /// Makes `path` owned by the service user (when running as root) so the cluster can write it.
    func handOver(_ path: String) throws(EmbeddedPostgresError) {
        guard asServiceUser, let user = getpwnam("postgres") else { return }
        guard chown(path, user.pointee.pw_uid, user.pointee.pw_gid) == 0 else {
            throw .commandFailed(command: "chown postgres \(path)", status: errno, output: String(cString: strerror(errno)))
        }
    }
}
