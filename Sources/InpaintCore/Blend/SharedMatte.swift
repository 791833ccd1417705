/// A watermark estimated from several images that carry it at the same place (video frames, photos sharing a
/// mark), and how to take it off any one of them: invert the blend where the estimate is trustworthy, fill the rest.
public struct SharedMatte: Sendable {
    /// Opacity and colour per pixel (zero opacity outside the mark).
    public var matte: WatermarkMatte
    /// Pixels the inversion cannot recover (near-opaque, too few usable images, inconsistent across images):
    /// filled (FAST) in every image.
    public var fill: Mask
    /// The mark's colour (one colour for the whole mark), RGB 0...255.
    public var colour: SIMD3<Float>
    /// Median opacity over the pixels of the mark that are inverted (0 when none are).
    public var medianOpacity: Float

    /// Opacity below which a pixel is treated as not covered by the mark (left as it is).
    static let uncoveredOpacity: Float = 0.02

    /// `image` without the mark: inverted where the matte is trusted; filled (FAST) where it is not, and where the
    /// image is clipped on the mark's side (a saturated pixel says nothing about what is under it).
    public func remove(from image: PixelImage, fastOptions: FastInpaintOptions = FastInpaintOptions()) throws(InpaintError) -> PixelImage {
        var (out, hole) = try invert(image)
        if !hole.isEmpty { try FastInpainter.inpaint(&out, mask: hole, options: fastOptions) }
        return out
    }

    /// The first half of `remove`: `image` with the blend inverted where the matte is trusted, and the pixels still to
    /// be filled (untrusted, clipped) — for a caller that can fill some of them better than FAST (from other frames).
    public func invert(_ image: PixelImage) throws(InpaintError) -> (image: PixelImage, hole: Mask) {
        guard image.width == matte.width, image.height == matte.height, image.channels >= 3 else {
            throw .invalidArgument("image is \(image.width)x\(image.height), the estimated mark \(matte.width)x\(matte.height)")
        }
        var out = image
        var hole = fill
        let C = image.channels
        let bright = colour.x + colour.y + colour.z > 3 * 127.5
        for i in 0..<(image.width * image.height) where fill.values[i] == 0 {
            let a = matte.alpha[i]
            if a < Self.uncoveredOpacity { continue }
            var clipped = false
            for c in 0..<3 {
                let v = image.pixels[i * C + c]
                if bright ? v >= 254 : v <= 1 { clipped = true }
            }
            if clipped { hole.values[i] = 1; continue }
            let inv = 1 / (1 - a)
            for c in 0..<3 {
                let v = (Float(image.pixels[i * C + c]) - a * matte.color[i * 3 + c]) * inv
                out.pixels[i * C + c] = UInt8(min(255, max(0, v.rounded())))
            }
        }
        return (out, hole)
    }
}

extension SharedMatte {
    /// No estimate (too few images): every pixel of `mask` is filled.
    public static func fillEverything(_ mask: Mask) -> SharedMatte {
        let alpha = mask.values.map { Float($0) }
        return SharedMatte(matte: WatermarkMatte(width: mask.width, height: mask.height, alpha: alpha, uniformColor: (255, 255, 255)),
                           fill: mask, colour: SIMD3(repeating: 255), medianOpacity: 0)
    }
}
