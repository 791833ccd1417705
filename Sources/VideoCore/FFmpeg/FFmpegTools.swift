import Foundation

/// Where the `ffmpeg` and `ffprobe` programs are: video is decoded and encoded by driving them through pipes, so
/// nothing of FFmpeg is needed to build the package and video works wherever Debian's `ffmpeg` is installed.
public struct FFmpegTools: Sendable {
    /// Path of `ffmpeg`.
    public var ffmpeg: String
    /// Path of `ffprobe`.
    public var ffprobe: String

    /// Looks in `$WATERMARK_FFMPEG_DIR` first, then along `$PATH`.
    public static func locate(environment: [String: String] = ProcessInfo.processInfo.environment) throws(VideoError) -> FFmpegTools {
        var directories: [String] = []
        if let dir = environment["WATERMARK_FFMPEG_DIR"], !dir.isEmpty { directories.append(dir) }
        directories += (environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":").map(String.init)
        func find(_ name: String) -> String? {
            directories.lazy.map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
        }
        guard let ffmpeg = find("ffmpeg"), let ffprobe = find("ffprobe") else {
            throw .ffmpegUnavailable("video needs FFmpeg's ffmpeg and ffprobe programs (Debian: apt-get install ffmpeg); none found in WATERMARK_FFMPEG_DIR or PATH")
        }
        return FFmpegTools(ffmpeg: ffmpeg, ffprobe: ffprobe)
    }
}
