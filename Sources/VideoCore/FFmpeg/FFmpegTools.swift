#if canImport(Glibc)
import Glibc
#endif

/// Where the `ffmpeg` and `ffprobe` programs are: video is decoded and encoded by driving them through pipes, so
/// nothing of FFmpeg is needed to build the package and video works wherever Debian's `ffmpeg` is installed.
public struct FFmpegTools: Sendable, Hashable {
    /// Path of `ffmpeg`.
    public var ffmpeg: String
    /// Path of `ffprobe`.
    public var ffprobe: String

    /// The programs at these paths (as found by `locate`, or unpacked elsewhere).
    public init(ffmpeg: String, ffprobe: String) {
        self.ffmpeg = ffmpeg
        self.ffprobe = ffprobe
    }

    /// Looks in `$WATERMARK_FFMPEG_DIR` first, then along `$PATH`.
    public static func locate() throws(VideoError) -> FFmpegTools {
        func variable(_ name: String) -> String? { getenv(name).flatMap { String(validatingCString: $0) } }
        var directories: [String] = []
        if let dir = variable("WATERMARK_FFMPEG_DIR"), !dir.isEmpty { directories.append(dir) }
        directories += (variable("PATH") ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":").map(String.init)
        func find(_ name: String) -> String? {
            directories.lazy.map { "\($0)/\(name)" }.first { access($0, X_OK) == 0 }
        }
        guard let ffmpeg = find("ffmpeg"), let ffprobe = find("ffprobe") else {
            throw .ffmpegUnavailable("video needs FFmpeg's ffmpeg and ffprobe programs (Debian: apt-get install ffmpeg, or `watermark fetch-ffmpeg` and its directory in WATERMARK_FFMPEG_DIR); none found in WATERMARK_FFMPEG_DIR or PATH")
        }
        return FFmpegTools(ffmpeg: ffmpeg, ffprobe: ffprobe)
    }
}
