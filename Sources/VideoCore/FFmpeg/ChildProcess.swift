import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One FFmpeg program run with pipes: standard output and/or input connected to us, standard error kept in a
/// temporary file (so a chatty child can never block on a full pipe) and quoted in errors.
final class ChildProcess {
    private let process = Process()
    private let errorFile: URL
    private let errorHandle: FileHandle
    /// The child's standard output, when asked for.
    let output: FileHandle?
    /// The child's standard input, when asked for.
    let input: FileHandle?
    /// Program and arguments, for messages.
    let commandLine: String

    init(executable: String, arguments: [String], readOutput: Bool, writeInput: Bool) throws {
        errorFile = FileManager.default.temporaryDirectory.appendingPathComponent("ffmpeg-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        errorHandle = try FileHandle(forWritingTo: errorFile)
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardError = errorHandle
        commandLine = ([executable] + arguments).joined(separator: " ")
        if readOutput {
            let pipe = Pipe()
            Self.enlarge(pipe)
            process.standardOutput = pipe
            output = pipe.fileHandleForReading
        } else {
            process.standardOutput = FileHandle.nullDevice
            output = nil
        }
        if writeInput {
            let pipe = Pipe()
            Self.enlarge(pipe)
            process.standardInput = pipe
            input = pipe.fileHandleForWriting
        } else {
            process.standardInput = FileHandle.nullDevice
            input = nil
        }
        try process.run()
    }

    /// Reads exactly `count` bytes from the child's output into `buffer` (straight into it, no intermediate copies);
    /// false at a clean end of stream before the first byte; throws on a stream that ends part-way.
    func readExactly(_ count: Int, into buffer: inout [UInt8]) throws -> Bool {
        guard let output else { return false }
        let fd = output.fileDescriptor
        var filled = 0
        try buffer.withUnsafeMutableBytes { raw in
            while filled < count {
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

    /// Writes all of `bytes` to the child's input; throws when the child has gone (EPIPE: SIGPIPE must be ignored).
    func writeAll(_ bytes: [UInt8]) throws {
        guard let input else { return }
        let fd = input.fileDescriptor
        var written = 0
        try bytes.withUnsafeBytes { raw in
            while written < raw.count {
                let n = write(fd, raw.baseAddress!.advanced(by: written), raw.count - written)
                if n >= 0 { written += n; continue }
                if errno == EINTR { continue }
                throw ChildProcessError.io(errno)
            }
        }
    }

    /// Frames are megabytes: a 1 MiB pipe (Linux's default limit for unprivileged processes) instead of 64 KiB lets
    /// FFmpeg run ahead while we work on the previous frame.
    private static func enlarge(_ pipe: Pipe) {
        #if os(Linux)
        _ = fcntl(pipe.fileHandleForWriting.fileDescriptor, 1031 /* F_SETPIPE_SZ */, 1 << 20)
        #endif
    }

    /// Waits for the child and returns its exit status and the tail of its standard error.
    func finish() -> (status: Int32, errorTail: String) {
        try? input?.close()
        process.waitUntilExit()
        try? errorHandle.close()
        let text = (try? String(contentsOf: errorFile, encoding: .utf8)) ?? ""
        try? FileManager.default.removeItem(at: errorFile)
        let lines = text.split(separator: "\n").suffix(4).joined(separator: " | ")
        return (process.terminationStatus, String(lines.suffix(600)))
    }

    /// Stops the child at once (cancellation, or an error on our side).
    func kill() {
        if process.isRunning { process.terminate() }
        _ = finish()
    }

    /// Runs a program to completion and returns its standard output.
    static func run(executable: String, arguments: [String]) throws -> (status: Int32, output: Data, errorTail: String) {
        let child = try ChildProcess(executable: executable, arguments: arguments, readOutput: true, writeInput: false)
        let data = try child.output?.readToEnd() ?? Data()
        let result = child.finish()
        return (result.status, data, result.errorTail)
    }
}

/// A frame stream that ended part-way through a frame, or a pipe that failed.
enum ChildProcessError: Error {
    case truncated(Int, Int)
    case io(Int32)
}
