import Logging
import VideoCore

/// What the deployment does with video: whether it can (FFmpeg's programs, found at start-up), the limits an
/// upload must meet (checked from the header when the upload completes), how resumable uploads are cut, and how
/// many video tasks one process runs at once (their own worker slots, so videos never starve images).
public struct VideoSettings: Sendable, Hashable {
    /// `ffmpeg` and `ffprobe`; nil: this deployment does not take video (capabilities do not list VIDEO).
    public var tools: FFmpegTools?
    /// Largest video file (`VIDEO_MAX_BYTES`).
    public var maxBytes: Int64 = 2 << 30
    /// Largest frame, in pixels (`VIDEO_MAX_PIXELS`): 3840×2160.
    public var maxPixels: Int64 = 3_840 * 2_160
    /// Longest video (`VIDEO_MAX_DURATION_SECONDS`).
    public var maxDurationSeconds = 600
    /// Highest frame rate (`VIDEO_MAX_FRAME_RATE`).
    public var maxFrameRate = 120.0
    /// Largest chunk of a resumable upload on the local backend (`VIDEO_CHUNK_BYTES`).
    public var chunkBytes: Int64 = 8 << 20
    /// Size of the parts of a multipart upload on object storage (`VIDEO_PART_BYTES`; S3 wants at least 5 MiB).
    public var partBytes: Int64 = 16 << 20
    /// How long a video's upload URL works (`VIDEO_UPLOAD_WINDOW_SECONDS`); a PENDING_UPLOAD asset older than this is abandoned.
    public var uploadWindowSeconds = 6 * 3_600
    /// Video tasks one process works on at once, besides its image slots (`VIDEO_WORKER_CONCURRENCY`).
    public var workerConcurrency = 1
    /// Whether a start without FFmpeg fetches Debian's into `bootstrapDirectory` (`VIDEO_BOOTSTRAP`=on/off).
    public var bootstraps = true
    /// Where fetched FFmpeg is kept (`VIDEO_BOOTSTRAP_DIR`); found there on later starts.
    public var bootstrapDirectory = ".watermark/ffmpeg"

    public init() {}

    /// These settings with FFmpeg fetched when it is missing and fetching is on (the first start on a fresh
    /// machine waits for it; a failure only leaves video off, with a warning).
    public func bootstrapped(logger: Logger) async -> VideoSettings {
        guard tools == nil, bootstraps else { return self }
        var settings = self
        let bootstrap = FFmpegBootstrap(directory: bootstrapDirectory)
        do {
            settings.tools = try await ComputeQueue.run { try bootstrap.tools(logger: logger) }
        } catch {
            logger.warning("video is off: FFmpeg is not installed and fetching it failed (Debian: apt-get install ffmpeg)", metadata: ["error": "\(error)"])
        }
        return settings
    }

    /// Content types a video upload may declare.
    static let contentTypes = ["video/mp4", "video/quicktime", "video/webm"]

    /// Quota units a task on a video of `durationMs` holds: one per started minute.
    static func quotaUnits(durationMs: Int64?) -> Int32 {
        Int32(clamping: max(1, ((durationMs ?? 0) + 59_999) / 60_000))
    }
}
