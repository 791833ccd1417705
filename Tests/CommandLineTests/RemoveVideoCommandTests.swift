import Foundation
import InpaintCore
import Testing

/// `watermark remove VIDEO` as a user runs it, through Debian's `ffmpeg`: a moving test pattern with a
/// semi-transparent white box burnt in and a tone as audio.
@Suite(.serialized)
final class RemoveVideoCommandTests {
    let watermark = BuiltExecutable("watermark")
    let scratch: String
    let clip: String, mask: String

    init() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("remove-video-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        clip = scratch + "/clip.mp4"
        mask = scratch + "/mask.png"
        let ffmpeg = BuiltExecutable(path: Self.onPath("ffmpeg"))
        let made = try ffmpeg.run([
            "-nostdin", "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=192x108:rate=25:duration=1.2",
            "-f", "lavfi", "-i", "sine=frequency=330:duration=1.2",
            "-vf", "drawbox=x=120:y=70:w=48:h=20:color=white@0.5:t=fill", "-c:v", "libx264", "-pix_fmt", "yuv420p",
            "-c:a", "aac", clip,
        ])
        #expect(made.status == 0, "ffmpeg: \(made.stderr)")
        var box = Mask(width: 192, height: 108)
        for y in 68..<92 { for x in 118..<170 { box[x, y] = true } }
        try box.write(path: mask)
    }

    /// `program` as the shell finds it (Debian's, or the copy scripts/test fetched).
    static func onPath(_ program: String) -> String {
        let directories = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":")
        return directories.map { "\($0)/\(program)" }.first { FileManager.default.isExecutableFile(atPath: $0) } ?? "/usr/bin/\(program)"
    }

    deinit {
        try? FileManager.default.removeItem(atPath: scratch)
    }

    @Test(arguments: ["fast", "quality"])
    func aVideoComesBackWithEveryFrameAndItsAudio(mode: String) throws {
        let output = scratch + "/clean-\(mode).mp4"
        let run = try watermark.run(["remove", clip, "--mask", mask, "--mode", mode, "-o", output])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("FRAMES=30") && run.stdout.contains("INPAINT_MS=") && run.stdout.contains("PEAK_RSS_MB="))
        let probe = try BuiltExecutable(path: Self.onPath("ffprobe")).run([
            "-v", "error", "-show_entries", "stream=codec_type,codec_name,nb_frames", "-of", "csv=p=0", output,
        ])
        #expect(probe.stdout.contains("h264,video,30") && probe.stdout.contains("aac,audio"), "\(probe.stdout)")
    }

    @Test func whatAVideoCannotHaveIsOneClearLine() throws {
        let output = scratch + "/never.mp4"
        let lossless = try watermark.run(["remove", clip, "--mask", mask, "--lossless", "-o", output])
        #expect(lossless.status == 1 && lossless.errorLines.count == 1 && lossless.stderr.contains("(INVALID_ARGUMENT)"), "\(lossless.stderr)")
        let noFFmpeg = try watermark.run(["remove", clip, "--mask", mask, "-o", output], environment: ["PATH": "/nonexistent"])
        #expect(noFFmpeg.status == 4 && noFFmpeg.errorLines.count == 1 && noFFmpeg.stderr.contains("(FFMPEG_UNAVAILABLE)"), "\(noFFmpeg.stderr)")
        let fake = scratch + "/fake.mp4"
        try Data("not a video".utf8).write(to: URL(fileURLWithPath: fake))
        let corrupt = try watermark.run(["remove", fake, "--mask", mask, "-o", output])
        #expect(corrupt.status == 1 && corrupt.errorLines.count == 1 && corrupt.stderr.contains("(VIDEO_CORRUPT)"))
        #expect(!FileManager.default.fileExists(atPath: output))
    }
}
