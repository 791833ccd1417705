#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Hands `watermark remove …` to the `watermark-remove` executable beside this one by replacing this
/// process with it (`execv`: same process id, environment, terminal, signals and exit status).
///
/// `watermark-remove` links only InpaintCore and ArgumentParser. This executable also carries the
/// service (Foundation, NIO, PostgresNIO, …), whose libraries alone take ~25 MB once the command line
/// has been parsed; handing over before that keeps offline removal's peak memory under 4× the decoded
/// image (docs/benchmarks.md). The `watermark` target depends on `watermark-remove`, so SwiftPM builds
/// both and `swift run watermark remove …` works.
enum RemoveHandOff {
    /// The small executable's file name; it must sit in the same directory as `watermark`.
    static let executableName = "watermark-remove"

    /// The arguments for `watermark-remove` when `arguments` (without the program name) ask for
    /// `remove` or its help, nil for every other command.
    static func forwardedArguments(_ arguments: [String]) -> [String]? {
        switch arguments.first {
        case "remove": Array(arguments.dropFirst())
        case "help" where arguments.dropFirst().first == "remove": ["--help"]
        default: nil
        }
    }

    /// Replaces this process with `watermark-remove <arguments…>` if the command line asks for
    /// `remove`; if that cannot be done, prints why as one line and exits 1. Returns for other commands.
    static func runIfRequested(_ commandLine: [String]) {
        guard let arguments = forwardedArguments(Array(commandLine.dropFirst())) else { return }
        fail(exec(arguments))
    }

    /// Prints `reason` as the one line `watermark remove` prints for bad input, and exits 1.
    static func fail(_ reason: String) -> Never {
        let line = "error: \(reason)\n"
        _ = line.utf8CString.withUnsafeBufferPointer { write(2, $0.baseAddress, $0.count - 1) }
        exit(1)
    }

    /// Replaces this process with `watermark-remove <arguments…>`; returns only with the reason it
    /// could not.
    static func exec(_ arguments: [String]) -> String {
        guard let own = ownExecutablePath() else {
            return "cannot find where this watermark executable is, so cannot start \(executableName) beside it"
        }
        let directory = own.lastIndex(of: "/").map { String(own[..<$0]) } ?? "."
        let target = directory + "/" + executableName
        var cArguments = ([target] + arguments).map { strdup($0) } + [nil]
        defer { cArguments.forEach { free($0) } }
        execv(target, &cArguments)
        let code = errno
        let reason = String(cString: strerror(code))
        if code == ENOENT {
            return "\(target) is missing (\(reason)): `watermark remove` runs the \(executableName) product, which `swift build` builds beside watermark; install both side by side"
        }
        return "cannot start \(target): \(reason)"
    }

    /// This executable's absolute path as the kernel knows it (argv[0] may be relative, or a bare
    /// name found on PATH).
    private static func ownExecutablePath() -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        #if os(Linux)
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard length > 0 else { return nil }
        #else
        var size = UInt32(buffer.count)
        guard _NSGetExecutablePath(&buffer, &size) == 0 else { return nil }
        let length = buffer.firstIndex(of: 0) ?? buffer.count
        #endif
        return String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
