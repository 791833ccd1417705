/// What `ffprobe` says about a video file: enough to decode it to RGB frames, encode the result in the same codec
/// family and container, and check limits before decoding anything.
public struct VideoInfo: Sendable, Equatable {
    /// Container names as FFmpeg reports them, e.g. `mov,mp4,m4a,3gp,3g2,mj2` or `matroska,webm`.
    public var formatName: String
    /// Video codec, e.g. `h264`, `hevc`, `vp9`, `ffv1`.
    public var codec: String
    /// Stored frame size (before rotation).
    public var codedWidth: Int
    /// Stored frame size (before rotation).
    public var codedHeight: Int
    /// Pixel format, e.g. `yuv420p`.
    public var pixelFormat: String
    /// Colour matrix tag (`bt709`, `smpte170m`, … or `unknown`).
    public var colorSpace: String
    /// Range tag (`tv`, `pc` or `unknown`).
    public var colorRange: String
    /// Primaries tag (`bt709`, … or `unknown`).
    public var colorPrimaries = "unknown"
    /// Transfer characteristics tag (`bt709`, … or `unknown`).
    public var colorTransfer = "unknown"
    /// The stream's base frame rate as FFmpeg's rational (`r_frame_rate`), e.g. `25/1` or `30000/1001`.
    public var frameRate: String
    /// Frames over duration as FFmpeg's rational (`avg_frame_rate`); `0/0` when unknown.
    public var averageFrameRate = "0/0"
    /// Number of frames if the container says (MP4 does, WebM usually does not).
    public var frameCount: Int?
    /// Duration in seconds if known.
    public var duration: Double?
    /// Display rotation in degrees (0, 90, 180, 270): frames are decoded upright.
    public var rotation: Int
    /// Codec of the first audio stream, nil without audio.
    public var audioCodec: String?

    /// Whether frames come at irregular times (a phone's variable frame rate, frames dropped by a screen recorder):
    /// the average rate differs from the base rate by more than 1 %.
    public var isVariableFrameRate: Bool {
        let base = Self.rate(frameRate), average = Self.rate(averageFrameRate)
        return base > 0 && average > 0 && abs(average - base) > base * 0.01
    }

    /// The steady rate frames are read and written at: the base rate, or for a variable rate the average when the base
    /// rate is below it or would more than double the frames. A variable-rate video is read at it with frames repeated
    /// (and, at the average rate, dropped) where they came late or early, so the result keeps its length and its audio
    /// stays in step: raw frames through a pipe carry no times of their own.
    public var steadyFrameRate: String {
        let base = Self.rate(frameRate), average = Self.rate(averageFrameRate)
        guard isVariableFrameRate, base < average || base > 2 * average else { return frameRate }
        return averageFrameRate
    }

    /// Frames per second at `steadyFrameRate` (0 if unparseable).
    public var framesPerSecond: Double { Self.rate(steadyFrameRate) }

    /// The value of an FFmpeg rational such as `30000/1001` (0 if unparseable).
    private static func rate(_ rational: String) -> Double {
        let parts = rational.split(separator: "/").compactMap { Double($0) }
        guard parts.count == 2 else { return parts.first ?? 0 }
        return parts[1] > 0 ? parts[0] / parts[1] : 0
    }

    /// Width of the decoded (upright) frames.
    public var width: Int { rotation % 180 == 0 ? codedWidth : codedHeight }
    /// Height of the decoded (upright) frames.
    public var height: Int { rotation % 180 == 0 ? codedHeight : codedWidth }

    /// Frames expected: the container's count, else (and for a variable rate) duration × steady rate (rounded).
    public var expectedFrames: Int? {
        if let frameCount, frameCount > 0, !isVariableFrameRate { return frameCount }
        if let duration, duration > 0, framesPerSecond > 0 { return Int((duration * framesPerSecond).rounded()) }
        return nil
    }
}
