/// The colour matrix and range 8-bit YUV samples are turned into RGB with and back: the one the stream is tagged with
/// (`FrameReader.yuvConversion` names it; untagged is BT.709 limited range), so a region converted here and written back
/// keeps the colours a player shows for the rest of the frame.
struct YUVMatrix: Sendable {
    /// Luma weight of red.
    let kr: Float
    /// Luma weight of blue.
    let kb: Float
    /// Full range (0…255) rather than limited (16…235, chroma 16…240).
    let fullRange: Bool

    /// The matrix for swscale's names (`bt601`, `bt709`, `bt2020`, `smpte240m`, `fcc`) and range (`tv`, `pc`).
    init(matrix: String, range: String) {
        (kr, kb) = switch matrix {
        case "bt601": (0.299, 0.114)
        case "bt2020": (0.2627, 0.0593)
        case "smpte240m": (0.212, 0.087)
        case "fcc": (0.30, 0.11)
        default: (0.2126, 0.0722)
        }
        fullRange = range == "pc"
    }

    private var kg: Float { 1 - kr - kb }
    private var lumaScale: Float { fullRange ? 255 : 219 }
    private var lumaOffset: Float { fullRange ? 0 : 16 }
    private var chromaScale: Float { fullRange ? 255 : 224 }

    /// RGB (0…255, unclamped) of one sample triple.
    @inline(__always)
    func rgb(y: UInt8, cb: Float, cr: Float) -> (r: Float, g: Float, b: Float) {
        let luma = (Float(y) - lumaOffset) * (255 / lumaScale)
        let pb = (cb - 128) * (255 / chromaScale), pr = (cr - 128) * (255 / chromaScale)
        let r = luma + 2 * (1 - kr) * pr
        let b = luma + 2 * (1 - kb) * pb
        let g = (luma - kr * r - kb * b) / kg
        return (r, g, b)
    }

    /// The luma sample of an RGB pixel.
    @inline(__always)
    func luma(r: Float, g: Float, b: Float) -> UInt8 {
        Self.sample(lumaOffset + (kr * r + kg * g + kb * b) * (lumaScale / 255))
    }

    /// Cb and Cr (unrounded) of an RGB pixel.
    @inline(__always)
    func chroma(r: Float, g: Float, b: Float) -> (cb: Float, cr: Float) {
        let y = kr * r + kg * g + kb * b
        let scale = chromaScale / 255
        return (128 + (b - y) / (2 * (1 - kb)) * scale, 128 + (r - y) / (2 * (1 - kr)) * scale)
    }

    /// A value clamped to a byte and rounded (half up; adding ½ and truncating needs no library call, and for the
    /// non-negative values left after clamping it is the same rounding as `rounded()`).
    @inline(__always)
    static func sample(_ value: Float) -> UInt8 { UInt8(min(255, max(0, value)) + 0.5) }
}
