/// A watermark matte: per-pixel opacity `alpha` (0...1) and watermark colour (RGB, 0...255).
///
/// The blend model is `J = (1 - alpha) * I + alpha * W` (straight alpha, Dekel et al. 2017).
public struct WatermarkMatte: Sendable {
    /// Width in pixels.
    public var width: Int
    /// Height in pixels.
    public var height: Int
    /// Opacity per pixel.
    public var alpha: [Float]
    /// Colour per pixel, 3 floats (R, G, B).
    public var color: [Float]

    /// Creates a matte.
    public init(width: Int, height: Int, alpha: [Float], color: [Float]) {
        precondition(alpha.count == width * height && color.count == width * height * 3)
        self.width = width; self.height = height; self.alpha = alpha; self.color = color
    }

    /// A matte with one colour everywhere.
    public init(width: Int, height: Int, alpha: [Float], uniformColor: (Float, Float, Float)) {
        var col = [Float](repeating: 0, count: width * height * 3)
        for i in 0..<(width * height) { col[i * 3] = uniformColor.0; col[i * 3 + 1] = uniformColor.1; col[i * 3 + 2] = uniformColor.2 }
        self.init(width: width, height: height, alpha: alpha, color: col)
    }

    /// Pixels whose alpha is at least `threshold`.
    public func mask(threshold: Float) -> Mask {
        Mask(width: width, height: height, values: alpha.map { $0 >= threshold ? 1 : 0 })
    }

    /// Blends the watermark onto an RGB image (forward model, rounded): used for tests and simulation.
    public func apply(to image: PixelImage) -> PixelImage {
        precondition(image.width == width && image.height == height && image.channels >= 3)
        var out = image
        let C = image.channels
        for i in 0..<(width * height) where alpha[i] > 0 {
            let a = alpha[i]
            for c in 0..<3 {
                let v = (1 - a) * Float(image.pixels[i * C + c]) + a * color[i * 3 + c]
                out.pixels[i * C + c] = UInt8(min(255, max(0, v.rounded())))
            }
        }
        return out
    }
}

/// Inverts a known semi-transparent blend: `I = (J - alpha * W) / (1 - alpha)`.
public enum BlendInverter {
    /// Result of an inversion.
    public struct Result: Sendable {
        /// The image with the blend removed where it was invertible.
        public var image: PixelImage
        /// Pixels where alpha >= the opaque threshold: they hold no recoverable signal and must be inpainted.
        public var opaqueMask: Mask
    }

    /// Inverts the blend on every pixel with `alpha > 0`; pixels with `alpha >= opaqueThreshold`
    /// are left unchanged and reported in `opaqueMask`.
    public static func invert(_ image: PixelImage, matte: WatermarkMatte, opaqueThreshold: Float = 0.95) throws(InpaintError) -> Result {
        guard image.width == matte.width, image.height == matte.height else {
            throw .invalidArgument("matte is \(matte.width)x\(matte.height), image is \(image.width)x\(image.height)")
        }
        guard image.channels >= 3 else { throw .invalidArgument("blend inversion needs an RGB image") }
        var out = image
        var opaque = Mask(width: image.width, height: image.height)
        let C = image.channels
        for i in 0..<(image.width * image.height) {
            let a = matte.alpha[i]
            if a <= 0 { continue }
            if a >= opaqueThreshold { opaque.values[i] = 1; continue }
            let inv = 1 / (1 - a)
            for c in 0..<3 {
                let v = (Float(image.pixels[i * C + c]) - a * matte.color[i * 3 + c]) * inv
                out.pixels[i * C + c] = UInt8(min(255, max(0, v.rounded())))
            }
        }
        return Result(image: out, opaqueMask: opaque)
    }
}
