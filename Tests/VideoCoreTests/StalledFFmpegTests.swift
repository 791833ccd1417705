import Foundation
import Testing
@testable import VideoCore

/// A decoder or encoder that hangs (a crafted file, a stuck device) must not hang the worker with it: after the
/// stall timeout the child is killed and the caller gets the video's error code.
struct StalledFFmpegTests {
    /// An "ffmpeg" that runs `command` instead, in a new directory.
    static func fakeTools(_ command: String) throws -> (FFmpegTools, String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fake-ffmpeg-\(UUID())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let script = directory + "/ffmpeg"
        // Written by a shell, not by this process: a file this process holds open for writing would be inherited by
        // the children other tests spawn meanwhile, and executing it would fail with "Text file busy".
        let writer = Process()
        writer.executableURL = URL(fileURLWithPath: "/bin/sh")
        writer.arguments = ["-c", "printf '#!/bin/sh\\nexec %s\\n' \"$1\" > \"$2\" && chmod 755 \"$2\"", "sh", command, script]
        try writer.run()
        writer.waitUntilExit()
        return (FFmpegTools(ffmpeg: script, ffprobe: script), directory)
    }

    /// An "ffmpeg" that takes no input and sends no output.
    static func hangingTools() throws -> (FFmpegTools, String) { try fakeTools("sleep 600") }

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

    @Test func aDecoderBeyondItsMemoryLimitFailsWithVideoCorrupt() throws {
        // An "ffmpeg" that wants a 300 MiB buffer, run with 100 MiB of address space.
        let (tools, directory) = try Self.fakeTools("dd if=/dev/zero bs=300M count=1")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let reader = try FrameReader(path: directory + "/clip.mp4", info: Self.info, tools: tools, memoryLimit: 100 << 20)
        #expect {
            _ = try reader.next()
        } throws: { error in
            guard case VideoError.videoCorrupt(let message) = error else { return false }
            return message.contains("decoding stopped after 0 frames") && message.contains("memory exhausted")
        }
    }

    @Test func aMissingFFmpegIsUnavailableNotABrokenVideo() throws {
        let missing = FFmpegTools(ffmpeg: "/nonexistent/ffmpeg", ffprobe: "/nonexistent/ffprobe")
        #expect {
            _ = try FrameReader(path: "/nonexistent/clip.mp4", info: Self.info, tools: missing)
        } throws: { error in
            guard case VideoError.ffmpegUnavailable = error else { return false }
            return true
        }
        #expect {
            _ = try VideoProbe.probe(CommandLine.arguments[0], tools: missing)
        } throws: { error in
            guard case VideoError.ffmpegUnavailable = error else { return false }
            return true
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
