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
    /// Frame rate as FFmpeg's rational, e.g. `25/1` or `30000/1001`.
    public var frameRate: String
    /// Number of frames if the container says (MP4 does, WebM usually does not).
    public var frameCount: Int?
    /// Duration in seconds if known.
    public var duration: Double?
    /// Display rotation in degrees (0, 90, 180, 270): frames are decoded upright.
    public var rotation: Int
    /// Codec of the first audio stream, nil without audio.
    public var audioCodec: String?

    /// Frame rate in frames per second (0 if unparseable).
    public var framesPerSecond: Double {
        let parts = frameRate.split(separator: "/").compactMap { Double($0) }
        guard parts.count == 2, parts[1] > 0 else { return parts.first ?? 0 }
        return parts[0] / parts[1]
    }

    /// Width of the decoded (upright) frames.
    public var width: Int { rotation % 180 == 0 ? codedWidth : codedHeight }
    /// Height of the decoded (upright) frames.
    public var height: Int { rotation % 180 == 0 ? codedHeight : codedWidth }

    /// Frames expected: the container's count, else duration × rate (rounded).
    public var expectedFrames: Int? {
        if let frameCount, frameCount > 0 { return frameCount }
        if let duration, duration > 0, framesPerSecond > 0 { return Int((duration * framesPerSecond).rounded()) }
        return nil
    }
}
