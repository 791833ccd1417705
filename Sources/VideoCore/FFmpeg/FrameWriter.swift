import Foundation

/// Encodes RGB frames written one at a time (`ffmpeg -f rawvideo -i - …`) into `path`, copying the source's first
/// audio stream unchanged (not re-encoded). The file appears under its name only when `finish` succeeds: until then it
/// is written beside it under a temporary name, so a failed or cancelled run leaves no half-written result.
final class FrameWriter {
    private let child: ChildProcess
    private let finalPath: String
    private let partialPath: String
    private let frameBytes: Int

    init(path: String, source: String, info: VideoInfo, encoding: VideoEncoding, tools: FFmpegTools) throws(VideoError) {
        finalPath = path
        let url = URL(fileURLWithPath: path)
        let ext = url.pathExtension.isEmpty ? "" : ".\(url.pathExtension)"
        partialPath = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.deletingPathExtension().lastPathComponent).partial-\(UUID().uuidString.prefix(8))\(ext)").path
        frameBytes = info.width * info.height * 3
        var arguments = [
            "-nostdin", "-v", "error", "-y",
            "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", "\(info.width)x\(info.height)", "-r", info.frameRate, "-i", "-",
            "-i", source, "-map", "0:v:0", "-map", "1:a:0?", "-c:a", "copy",
        ]
        arguments += encoding.arguments
        let lower = path.lowercased()
        if lower.hasSuffix(".mp4") || lower.hasSuffix(".mov") || lower.hasSuffix(".m4v") { arguments += ["-movflags", "+faststart"] }
        arguments.append(partialPath)
        do {
            child = try ChildProcess(executable: tools.ffmpeg, arguments: arguments, readOutput: false, writeInput: true)
        } catch {
            throw .ffmpegUnavailable("cannot run \(tools.ffmpeg): \(error)")
        }
    }

    /// Sends one frame (`width * height * 3` bytes).
    func write(_ frame: [UInt8]) throws(VideoError) {
        precondition(frame.count == frameBytes)
        do {
            try child.writeAll(frame)
        } catch {
            let tail = child.finish().errorTail
            try? FileManager.default.removeItem(atPath: partialPath)
            throw .encodeFailed("the encoder stopped: \(tail)")
        }
    }

    /// Closes the stream, waits for the encoder and moves the file to its name.
    func finish() throws(VideoError) {
        let result = child.finish()
        guard result.status == 0 else {
            try? FileManager.default.removeItem(atPath: partialPath)
            throw .encodeFailed("the encoder failed (\(result.errorTail))")
        }
        do {
            if FileManager.default.fileExists(atPath: finalPath) { try FileManager.default.removeItem(atPath: finalPath) }
            try FileManager.default.moveItem(atPath: partialPath, toPath: finalPath)
        } catch {
            throw .encodeFailed("cannot write \(finalPath): \(error)")
        }
    }

    /// Abandons the output.
    func cancel() {
        child.kill()
        try? FileManager.default.removeItem(atPath: partialPath)
    }
}
