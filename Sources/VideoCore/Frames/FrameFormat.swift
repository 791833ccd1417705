/// What the pipes between FFmpeg and the removal carry: 8-bit RGB, or the stream's own planar YUV (no conversion of
/// the frame; only a mark's region is turned into RGB and back, `YUVFrame`).
enum FrameFormat: Sendable, Equatable {
    /// `rgb24`, converted by swscale with the stream's matrix and range.
    case rgb
    /// The decoder's samples as they are.
    case yuv(PlanarYUVLayout)

    /// The stream's own YUV when it is 8-bit planar (`PlanarYUVLayout`), RGB otherwise.
    static func native(_ info: VideoInfo) -> FrameFormat {
        PlanarYUVLayout(info).map(FrameFormat.yuv) ?? .rgb
    }

    /// FFmpeg's name of the raw format.
    var pixelFormat: String {
        switch self {
        case .rgb: "rgb24"
        case .yuv(let layout): layout.pixelFormat
        }
    }

    /// Bytes of a `width` x `height` frame.
    func frameBytes(width: Int, height: Int) -> Int {
        switch self {
        case .rgb: width * height * 3
        case .yuv(let layout): layout.resized(width: width, height: height).frameBytes
        }
    }
}
