#if canImport(Glibc)
import Glibc
#endif

/// Encodes frames written one at a time (`ffmpeg -f rawvideo -i - …`, RGB or the source's own YUV) into `path`,
/// copying the source's first audio stream unchanged (not re-encoded) and keeping its rotation as metadata. The file appears under its name only when `finish` succeeds: until then it
/// is written beside it under a temporary name, so a failed or cancelled run leaves no half-written result.
final class FrameWriter {
    private let child: ChildProcess
    private let finalPath: String
    private let partialPath: String
    private let frameBytes: Int
    private let rotation: Int
    private let tools: FFmpegTools

    init(path: String, source: String, info: VideoInfo, encoding: VideoEncoding, format: FrameFormat = .rgb,
         tools: FFmpegTools) throws(VideoError) {
        finalPath = path
        // Same directory and extension (FFmpeg picks the container from it), hidden, unique per process.
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[...$0]) } ?? ""
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        let dot = name.lastIndex(of: ".")
        let stem = dot.map { String(name[..<$0]) } ?? name
        let ext = dot.map { String(name[$0...]) } ?? ""
        partialPath = "\(directory).\(stem).partial-\(getpid())\(ext)"
        frameBytes = format.frameBytes(width: info.width, height: info.height)
        self.tools = tools
        var arguments = [
            "-nostdin", "-v", "error", "-y",
            "-f", "rawvideo", "-pix_fmt", format.pixelFormat, "-s", "\(info.width)x\(info.height)", "-r", info.steadyFrameRate, "-i", "-",
            "-i", source, "-map", "0:v:0", "-map", "1:a:0?", "-c:a", "copy",
        ]
        // Frames arrive upright (the reader applied the rotation). In MP4/MOV they are turned back and the rotation
        // is kept as metadata (written by a stream-copy pass in `finish`: FFmpeg 5.1 takes the tag only when copying),
        // so players show the result as they showed the input; other containers get the upright frames.
        let lower = path.lowercased()
        let quickTime = lower.hasSuffix(".mp4") || lower.hasSuffix(".mov") || lower.hasSuffix(".m4v")
        rotation = quickTime ? info.rotation : 0
        let unrotate = switch rotation {
        case 90: "transpose=clock,"
        case 180: "hflip,vflip,"
        case 270: "transpose=cclock,"
        default: ""
        }
        arguments += encoding.arguments(firstFilters: unrotate, source: info, frames: format)
        if quickTime { arguments += ["-movflags", "+faststart"] }
        arguments.append(partialPath)
        do {
            child = try ChildProcess(executable: tools.ffmpeg, arguments: arguments, readOutput: false, writeInput: true)
        } catch {
            throw .ffmpegUnavailable("cannot run \(tools.ffmpeg): \(error)")
        }
    }

    /// Sends one frame (in the writer's `FrameFormat`).
    func write(_ frame: [UInt8]) throws(VideoError) {
        precondition(frame.count == frameBytes)
        do {
            try child.writeAll(frame)
        } catch ChildProcessError.stalled(let seconds) {
            _ = child.finish()
            unlink(partialPath)
            throw .encodeFailed("the encoder took nothing for \(seconds) s and was stopped")
        } catch {
            let tail = child.finish().errorTail
            unlink(partialPath)
            throw .encodeFailed("the encoder stopped: \(tail)")
        }
    }

    /// Closes the stream, waits for the encoder and moves the file to its name.
    func finish() throws(VideoError) {
        let result = child.finish()
        guard result.status == 0 else {
            unlink(partialPath)
            throw .encodeFailed("the encoder failed (\(result.errorTail))")
        }
        if rotation != 0 {
            let tagged = partialPath + ".rotated." + (partialPath.split(separator: ".").last.map(String.init) ?? "mp4")
            let remux = try? ChildProcess.run(executable: tools.ffmpeg, arguments: [
                "-nostdin", "-v", "error", "-y", "-i", partialPath, "-map", "0", "-c", "copy",
                "-metadata:s:v:0", "rotate=\(rotation)", "-movflags", "+faststart", tagged,
            ])
            guard let remux, remux.status == 0, rename(tagged, partialPath) == 0 else {
                unlink(tagged)
                unlink(partialPath)
                throw .encodeFailed("cannot write the rotation: \(remux?.errorTail ?? "ffmpeg did not start")")
            }
        }
        if rename(partialPath, finalPath) != 0 {
            let reason = String(cString: strerror(errno))
            unlink(partialPath)
            throw .encodeFailed("cannot write \(finalPath): \(reason)")
        }
    }

    /// Abandons the output.
    func cancel() {
        child.kill()
        unlink(partialPath)
    }
}
