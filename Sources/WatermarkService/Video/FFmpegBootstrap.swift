import Foundation
import Logging
import VideoCore

/// FFmpeg for a machine that lacks it, without installing anything system-wide: Debian's `ffmpeg` package and the
/// libraries it needs that the machine does not have are fetched with apt — into private package lists and caches,
/// so no root is needed and the system's package state is untouched — and unpacked under `directory`;
/// `directory/bin` then holds `ffmpeg` and `ffprobe` wrappers that run them with their libraries. Later starts find
/// them there at once. `watermark serve` (and `watermark worker`) does this on a start without FFmpeg, so video
/// works on a fresh machine; `watermark fetch-ffmpeg` does it alone (scripts/test).
public struct FFmpegBootstrap: Sendable {
    /// Where the packages are unpacked (absolute).
    public let directory: String
    /// How long one apt step may take before it is stopped.
    var stepTimeout: TimeInterval = 600

    public init(directory: String) {
        self.directory = directory.hasPrefix("/") ? directory : FileManager.default.currentDirectoryPath + "/" + directory
    }

    /// Where the wrappers are (give it to `WATERMARK_FFMPEG_DIR`, or put it on `PATH`).
    public var binDirectory: String { directory + "/bin" }

    /// Why FFmpeg could not be fetched.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// The tools unpacked by an earlier run, when they run.
    public func existing() -> FFmpegTools? {
        let tools = FFmpegTools(ffmpeg: binDirectory + "/ffmpeg", ffprobe: binDirectory + "/ffprobe")
        let runs = [tools.ffmpeg, tools.ffprobe].allSatisfy { (try? Self.run($0, ["-version"], timeout: 30)) != nil }
        return runs ? tools : nil
    }

    /// The tools unpacked before, or fetched and unpacked now (one process at a time per directory).
    public func tools(logger: Logger) throws -> FFmpegTools {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let lock = open(directory + "/.lock", O_CREAT | O_RDWR, 0o644)
        guard lock >= 0 else { throw Failure(description: "cannot create \(directory)/.lock") }
        defer { close(lock) }
        flock(lock, LOCK_EX)
        defer { flock(lock, LOCK_UN) }
        if let tools = existing() { return tools }
        try fetch(logger: logger)
        guard let tools = existing() else { throw Failure(description: "the unpacked ffmpeg does not run (\(binDirectory))") }
        return tools
    }

    private func fetch(logger: Logger) throws {
        guard let aptGet = Self.find("apt-get"), let dpkgDeb = Self.find("dpkg-deb") else {
            throw Failure(description: "apt-get and dpkg-deb are needed to fetch Debian's ffmpeg; install FFmpeg instead")
        }
        let fileManager = FileManager.default
        let apt = directory + "/apt"
        let debs = directory + "/debs", root = directory + "/root"
        for stale in [debs, root, binDirectory] { try? fileManager.removeItem(atPath: stale) }
        for path in [apt + "/lists/partial", apt + "/cache/archives/partial", debs, root, binDirectory] {
            try fileManager.createDirectory(atPath: path, withIntermediateDirectories: true)
        }
        // Private lists and caches; the system's dpkg status says what is installed already.
        var options = ["-qq", "-o", "Dir::State::Lists=\(apt)/lists", "-o", "Dir::Cache=\(apt)/cache", "-o", "Debug::NoLocking=1"]
        if getuid() == 0 { options += ["-o", "APT::Sandbox::User=root"] }
        logger.info("FFmpeg not found: fetching Debian's ffmpeg into \(directory) (first start only)")
        _ = try Self.run(aptGet, options + ["update"], timeout: stepTimeout)
        let plan = try Self.run(aptGet, options + ["--simulate", "--no-install-recommends", "install", "ffmpeg"], timeout: stepTimeout)
        // `Inst libfoo1 (1.2-3 Debian:12.9/stable [amd64])`: a package the machine lacks.
        let packages = plan.split(separator: "\n").compactMap { line -> String? in
            let words = line.split(separator: " ")
            return words.count >= 2 && words[0] == "Inst" ? String(words[1]) : nil
        }
        guard !packages.isEmpty else { throw Failure(description: "apt plans nothing to fetch for ffmpeg:\n\(plan.suffix(500))") }
        _ = try Self.run(aptGet, options + ["download"] + packages, in: debs, timeout: stepTimeout)
        for file in try fileManager.contentsOfDirectory(atPath: debs) where file.hasSuffix(".deb") {
            _ = try Self.run(dpkgDeb, ["-x", "\(debs)/\(file)", root], timeout: stepTimeout)
        }
        try? fileManager.removeItem(atPath: debs)
        let libraries = libraryDirectories(under: root).joined(separator: ":")
        for tool in ["ffmpeg", "ffprobe"] {
            let wrapper = """
            #!/bin/sh
            # Debian's \(tool), unpacked by watermark (FFmpegBootstrap) with the libraries this machine lacked.
            LD_LIBRARY_PATH="\(libraries)${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" exec "\(root)/usr/bin/\(tool)" "$@"

            """
            let path = "\(binDirectory)/\(tool)"
            try wrapper.write(toFile: path, atomically: true, encoding: .utf8)
            try fileManager.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        }
        logger.info("FFmpeg fetched", metadata: ["packages": "\(packages.count)", "bin": "\(binDirectory)"])
    }

    /// Every directory under `root` holding a shared library (`lib…so…`), so the unpacked ones are found.
    private func libraryDirectories(under root: String) -> [String] {
        var found = Set<String>()
        guard let walker = FileManager.default.enumerator(atPath: root) else { return [] }
        while let relative = walker.nextObject() as? String {
            let name = (relative as NSString).lastPathComponent
            if name.hasPrefix("lib"), name.contains(".so") { found.insert(root + "/" + (relative as NSString).deletingLastPathComponent) }
        }
        return found.sorted()
    }

    private static func find(_ program: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return (path.split(separator: ":").map { "\($0)/\(program)" } + ["/usr/bin/\(program)"])
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs `program` and returns its output; a non-zero exit, or running longer than `timeout`, throws with its output's end.
    @discardableResult
    private static func run(_ program: String, _ arguments: [String], in directory: String? = nil, timeout: TimeInterval) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        var environment = ProcessInfo.processInfo.environment
        environment["DEBIAN_FRONTEND"] = "noninteractive"
        process.environment = environment
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("watermark-apt-\(UUID().uuidString)")
        guard FileManager.default.createFile(atPath: output.path, contents: nil) else {
            throw Failure(description: "cannot create \(output.path)")
        }
        defer { try? FileManager.default.removeItem(at: output) }
        let handle = try FileHandle(forWritingTo: output)
        defer { try? handle.close() }
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning {
            if Date() > deadline {
                process.terminate()
                process.waitUntilExit()
                throw Failure(description: "\((program as NSString).lastPathComponent) \(arguments.last ?? "") took more than \(Int(timeout)) s")
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
        guard process.terminationStatus == 0 else {
            throw Failure(description: "\((program as NSString).lastPathComponent) \(arguments.prefix(12).joined(separator: " ")) failed (\(process.terminationStatus)): \(text.suffix(800))")
        }
        return text
    }
}
