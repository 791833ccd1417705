import InpaintCore

/// Every error the video module throws; `code` is a stable machine-readable name, as `InpaintError.code` is.
public enum VideoError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `ffmpeg`/`ffprobe` are not installed (or not runnable): video cannot be processed on this machine.
    case ffmpegUnavailable(String)
    /// FFmpeg cannot read the file as a video (corrupt, truncated, not a video, no video stream, no frames).
    case videoCorrupt(String)
    /// A readable video this module does not handle (codec, container, size beyond the limits).
    case videoUnsupported(String)
    /// Writing the output failed (encoder refused the settings, disk full, …).
    case encodeFailed(String)
    /// An argument does not fit the video (mask size, mask track, options).
    case invalidArgument(String)
    /// An image-level step failed (mask file, estimate, fill).
    case inpaint(InpaintError)
    /// The operation was cancelled.
    case cancelled

    /// Stable error code, e.g. `VIDEO_CORRUPT`.
    public var code: String {
        switch self {
        case .ffmpegUnavailable: "FFMPEG_UNAVAILABLE"
        case .videoCorrupt: "VIDEO_CORRUPT"
        case .videoUnsupported: "VIDEO_UNSUPPORTED"
        case .encodeFailed: "VIDEO_ENCODE_FAILED"
        case .invalidArgument: "INVALID_ARGUMENT"
        case .inpaint(let error): error.code
        case .cancelled: "CANCELLED"
        }
    }

    /// Human-readable message (without the code).
    public var message: String {
        switch self {
        case .ffmpegUnavailable(let m), .videoCorrupt(let m), .videoUnsupported(let m), .encodeFailed(let m),
             .invalidArgument(let m): m
        case .inpaint(let error): error.message
        case .cancelled: "operation cancelled"
        }
    }

    /// `message (CODE)`.
    public var description: String { "\(message) (\(code))" }

    /// Wraps an image-level error (cancellation stays cancellation).
    init(_ error: InpaintError) {
        self = error == .cancelled ? .cancelled : .inpaint(error)
    }
}
