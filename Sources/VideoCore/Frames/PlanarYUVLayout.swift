/// How an 8-bit planar YUV frame is laid out in FFmpeg's raw output: a full-size luma plane, then two chroma planes
/// subsampled by `1 << chromaShiftX` across and `1 << chromaShiftY` down (4:2:0, 4:2:2, 4:4:4). Frames in this form go
/// from the decoder to the encoder without a colour conversion: only a mark's neighbourhood is turned into RGB and
/// back, so outside the mask the decoder's samples reach the encoder untouched.
struct PlanarYUVLayout: Sendable, Equatable {
    /// FFmpeg's name of the format (`yuv420p`, `yuv422p`, `yuv444p`): what both pipes carry.
    let pixelFormat: String
    /// log2 of the horizontal chroma subsampling.
    let chromaShiftX: Int
    /// log2 of the vertical chroma subsampling.
    let chromaShiftY: Int
    /// Luma size.
    let width: Int
    /// Luma size.
    let height: Int

    /// The layout of `info`'s frames as the reader hands them over (upright), or nil when they are not 8-bit planar
    /// YUV with an ordinary range tag (10-bit, full-range `yuvj*` formats, RGB, grey: those go through RGB), or when a
    /// quarter turn would make FFmpeg resample 4:2:2 chroma.
    init?(_ info: VideoInfo) {
        switch info.pixelFormat {
        case "yuv420p": (chromaShiftX, chromaShiftY) = (1, 1)
        case "yuv422p": (chromaShiftX, chromaShiftY) = (1, 0)
        case "yuv444p": (chromaShiftX, chromaShiftY) = (0, 0)
        default: return nil
        }
        if info.rotation % 180 != 0 && chromaShiftX != chromaShiftY { return nil }
        pixelFormat = info.pixelFormat
        width = info.width
        height = info.height
    }

    /// A layout of the same format for a `width` x `height` part of the frame.
    func resized(width: Int, height: Int) -> PlanarYUVLayout {
        PlanarYUVLayout(pixelFormat: pixelFormat, chromaShiftX: chromaShiftX, chromaShiftY: chromaShiftY, width: width, height: height)
    }

    private init(pixelFormat: String, chromaShiftX: Int, chromaShiftY: Int, width: Int, height: Int) {
        self.pixelFormat = pixelFormat
        self.chromaShiftX = chromaShiftX
        self.chromaShiftY = chromaShiftY
        self.width = width
        self.height = height
    }

    /// Chroma plane width (rounded up, as FFmpeg does for odd sizes).
    var chromaWidth: Int { (width + (1 << chromaShiftX) - 1) >> chromaShiftX }
    /// Chroma plane height.
    var chromaHeight: Int { (height + (1 << chromaShiftY) - 1) >> chromaShiftY }
    /// Offset of the Cb plane.
    var cbOffset: Int { width * height }
    /// Offset of the Cr plane.
    var crOffset: Int { width * height + chromaWidth * chromaHeight }
    /// Bytes of one frame.
    var frameBytes: Int { width * height + 2 * chromaWidth * chromaHeight }
}
