import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// One FFmpeg program run with pipes (posix_spawn; no Foundation, so `watermark-remove` stays free of its libraries):
/// standard output and/or input connected to us, standard error kept in a temporary file (so a chatty child can
/// never block on a full pipe) and quoted in errors. A child that neither sends nor takes a byte for `stallTimeout`
/// (a decoder hung on a crafted file) is killed and `ChildProcessError.stalled` thrown, so no caller waits forever.
final class ChildProcess {
    /// How long a pipe may stay silent (default for every FFmpeg run).
    static let defaultStallTimeout: Duration = .seconds(120)
    /// Address space an FFmpeg program may take (`ulimit -v`; default for every run): several times what decoding and
    /// encoding the largest accepted video (3840x2160) takes, so only a decoder that allocates without end (a crafted
    /// file) reaches it, and it fails instead of taking the machine's memory.
    static let defaultMemoryLimit = 8 << 30

    private let pid: pid_t
    private let stallMilliseconds: Int32
    private let errorPath: String
    private var outputFD: Int32
    private var inputFD: Int32
    private var exitStatus: Int32?

    init(executable: String, arguments: [String], readOutput: Bool, writeInput: Bool,
         stallTimeout: Duration = ChildProcess.defaultStallTimeout, memoryLimit: Int? = ChildProcess.defaultMemoryLimit) throws {
        // Run through a shell (for the memory limit), a program that is not there must still fail as a spawn (FFmpeg
        // missing), not later as the shell's exit status (which would read as a broken video).
        if memoryLimit != nil, access(executable, X_OK) != 0 { throw ChildProcessError.spawn(executable, errno) }
        stallMilliseconds = Int32(clamping: stallTimeout.components.seconds * 1_000 + stallTimeout.components.attoseconds / 1_000_000_000_000_000)
        errorPath = "\(Self.temporaryDirectory)/ffmpeg-\(getpid())-\(Self.nextLogNumber()).log"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var outPipe: [Int32] = [-1, -1], inPipe: [Int32] = [-1, -1]
        if readOutput {
            guard pipe(&outPipe) == 0 else { throw ChildProcessError.io(errno) }
            Self.enlarge(outPipe[1])
            posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
            posix_spawn_file_actions_addclose(&actions, outPipe[0])
            posix_spawn_file_actions_addclose(&actions, outPipe[1])
        } else {
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        }
        if writeInput {
            guard pipe(&inPipe) == 0 else { throw ChildProcessError.io(errno) }
            Self.enlarge(inPipe[1])
            posix_spawn_file_actions_adddup2(&actions, inPipe[0], 0)
            posix_spawn_file_actions_addclose(&actions, inPipe[0])
            posix_spawn_file_actions_addclose(&actions, inPipe[1])
        } else {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        }
        posix_spawn_file_actions_addopen(&actions, 2, errorPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        // The limit is set by the shell that then becomes the program (posix_spawn sets no resource limits).
        let program = memoryLimit == nil ? executable : "/bin/sh"
        let words = memoryLimit.map { ["sh", "-c", "ulimit -v \($0 / 1024) && exec \"$0\" \"$@\"", executable] + arguments }
            ?? [executable] + arguments
        let argv: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var child: pid_t = 0
        let result = posix_spawn(&child, program, &actions, nil, argv, environ)
        // Our copies of the child's ends.
        if readOutput { close(outPipe[1]) }
        if writeInput { close(inPipe[0]) }
        guard result == 0 else {
            if readOutput { close(outPipe[0]) }
            if writeInput { close(inPipe[1]) }
            throw ChildProcessError.spawn(executable, result)
        }
        pid = child
        outputFD = readOutput ? outPipe[0] : -1
        inputFD = writeInput ? inPipe[1] : -1
    }

    deinit {
        if exitStatus == nil { kill() }
    }

    /// Reads exactly `count` bytes from the child's output into `buffer` (straight into it, no intermediate copies);
    /// false at a clean end of stream before the first byte; throws on a stream that ends part-way.
    func readExactly(_ count: Int, into buffer: inout [UInt8]) throws -> Bool {
        guard outputFD >= 0 else { return false }
        let fd = outputFD
        var filled = 0
        try buffer.withUnsafeMutableBytes { raw in
            while filled < count {
                try waitUntilReady(fd, for: Int16(POLLIN))
                let n = read(fd, raw.baseAddress!.advanced(by: filled), count - filled)
                if n > 0 { filled += n; continue }
                if n == 0 { break }
                if errno == EINTR { continue }
                throw ChildProcessError.io(errno)
            }
        }
        if filled == 0 { return false }
        if filled < count { throw ChildProcessError.truncated(filled, count) }
        return true
    }

    /// Reads the child's whole output.
    func readAll() throws -> [UInt8] {
        var all: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while outputFD >= 0 {
            try waitUntilReady(outputFD, for: Int16(POLLIN))
            let n = chunk.withUnsafeMutableBytes { read(outputFD, $0.baseAddress!, $0.count) }
            if n > 0 { all += chunk[0..<n]; continue }
            if n == 0 { break }
            if errno == EINTR { continue }
            throw ChildProcessError.io(errno)
        }
        return all
    }

    /// Writes all of `bytes` to the child's input; throws when the child has gone (EPIPE: SIGPIPE must be ignored).
    func writeAll(_ bytes: [UInt8]) throws {
        guard inputFD >= 0 else { return }
        let fd = inputFD
        var written = 0
        try bytes.withUnsafeBytes { raw in
            while written < raw.count {
                try waitUntilReady(fd, for: Int16(POLLOUT))
                let n = write(fd, raw.baseAddress!.advanced(by: written), raw.count - written)
                if n >= 0 { written += n; continue }
                if errno == EINTR { continue }
                throw ChildProcessError.io(errno)
            }
        }
    }

    /// Closes our ends, waits for the child and returns its exit status (128 + signal when killed) and the tail of
    /// its standard error.
    func finish() -> (status: Int32, errorTail: String) {
        if inputFD >= 0 { close(inputFD); inputFD = -1 }
        if outputFD >= 0 { close(outputFD); outputFD = -1 }
        if exitStatus == nil {
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            exitStatus = status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        }
        let tail = Self.tail(ofFile: errorPath)
        unlink(errorPath)
        return (exitStatus ?? -1, tail)
    }

    /// Returns once `fd` can be read or written (`events`), or the child is gone; kills the child and throws
    /// `stalled` when nothing happens for the stall timeout.
    private func waitUntilReady(_ fd: Int32, for events: Int16) throws {
        var entry = pollfd(fd: fd, events: events, revents: 0)
        while true {
            let ready = poll(&entry, 1, stallMilliseconds)
            if ready > 0 { return }  // readable/writable, or hung up / failed: the read or write says which
            if ready < 0, errno == EINTR { continue }
            if ready < 0 { throw ChildProcessError.io(errno) }
            if exitStatus == nil { _ = Glibc.kill(pid, SIGKILL) }
            throw ChildProcessError.stalled(seconds: Int(stallMilliseconds / 1_000))
        }
    }

    /// Stops the child at once (cancellation, or an error on our side).
    func kill() {
        if exitStatus == nil { _ = Glibc.kill(pid, SIGTERM) }
        _ = finish()
    }

    /// Runs a program to completion and returns its standard output.
    static func run(executable: String, arguments: [String], stallTimeout: Duration = ChildProcess.defaultStallTimeout) throws
        -> (status: Int32, output: [UInt8], errorTail: String)
    {
        let child = try ChildProcess(executable: executable, arguments: arguments, readOutput: true, writeInput: false, stallTimeout: stallTimeout)
        let data = try child.readAll()
        let result = child.finish()
        return (result.status, data, result.errorTail)
    }

    /// Frames are megabytes: a 1 MiB pipe (Linux's default limit for unprivileged processes) instead of 64 KiB lets
    /// FFmpeg run ahead while we work on the previous frame.
    private static func enlarge(_ fd: Int32) {
        #if os(Linux)
        _ = fcntl(fd, 1031 /* F_SETPIPE_SZ */, 1 << 20)
        #endif
    }

    private static var temporaryDirectory: String {
        if let dir = getenv("TMPDIR"), let text = String(validatingCString: dir), !text.isEmpty { return text }
        return "/tmp"
    }

    private static let logCounter = Mutex<Int>(0)
    private static func nextLogNumber() -> Int { logCounter.withLock { $0 += 1; return $0 } }

    /// The last lines of a (small) log file, joined with " | ".
    private static func tail(ofFile path: String) -> String {
        guard let file = fopen(path, "r") else { return "" }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = fread(&chunk, 1, chunk.count, file)
            if n <= 0 { break }
            bytes += chunk[0..<n]
            if bytes.count > 65536 { bytes.removeFirst(bytes.count - 65536) }
        }
        let text = String(decoding: bytes, as: UTF8.self)
        let lines = text.split(separator: "\n").suffix(4).joined(separator: " | ")
        return String(lines.suffix(600))
    }
}

/// A frame stream that ended part-way through a frame, a pipe that failed, or a program that could not be started.
enum ChildProcessError: Error {
    case truncated(Int, Int)
    /// Nothing came through the pipe for this long: the child was killed.
    case stalled(seconds: Int)
    case io(Int32)
    case spawn(String, Int32)
}
