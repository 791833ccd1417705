import Foundation
import Testing
@testable import VideoCore

/// A decoder or encoder that hangs (a crafted file, a stuck device) must not hang the worker with it: after the
/// stall timeout the child is killed and the caller gets the video's error code.
struct StalledFFmpegTests {
    /// An "ffmpeg" that takes no input and sends no output.
    static func hangingTools() throws -> (FFmpegTools, String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("stalled-\(UUID())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let script = directory + "/ffmpeg"
        try "#!/bin/sh\nexec sleep 600\n".write(toFile: script, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script)
        return (FFmpegTools(ffmpeg: script, ffprobe: script), directory)
    }

    static let info = VideoInfo(
        formatName: "mov,mp4", codec: "h264", codedWidth: 64, codedHeight: 36, pixelFormat: "yuv420p", colorSpace: "bt709",
        colorRange: "tv", frameRate: "25/1", frameCount: 25, duration: 1, rotation: 0, audioCodec: nil)

    @Test func aDecoderThatSendsNothingIsStoppedWithVideoCorrupt() throws {
        let (tools, directory) = try Self.hangingTools()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let reader = try FrameReader(path: directory + "/clip.mp4", info: Self.info, tools: tools, stallTimeout: .seconds(1))
        #expect {
            _ = try reader.next()
        } throws: { error in
            guard case VideoError.videoCorrupt(let message) = error else { return false }
            return message.contains("produced nothing for 1 s")
        }
    }

    @Test func aProbeThatHangsIsStoppedWithVideoCorrupt() throws {
        let (tools, directory) = try Self.hangingTools()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect {
            _ = try ChildProcess.run(executable: tools.ffprobe, arguments: [], stallTimeout: .seconds(1))
        } throws: { error in
            guard case ChildProcessError.stalled(let seconds) = error else { return false }
            return seconds == 1
        }
    }
}
