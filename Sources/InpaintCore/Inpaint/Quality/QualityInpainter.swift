/// Options for QUALITY inpainting.
public struct QualityInpaintOptions: Sendable {
    /// Random seed (results are deterministic for a seed and worker count).
    public var seed: UInt64 = 1
    /// Neighbourhood radius of the FAST initialisation.
    public var fastRadius: Int = 3
    /// Patch radius (patches are (2r+1)^2).
    public var patchRadius: Int = 3
    /// Try to invert a semi-transparent blend before inpainting (single-image estimate).
    public var invertBlend: Bool = true
    /// Keep a component's inversion only where its interior's mean colour agrees with the FAST fill's within the
    /// surrounding texture's local contrast (`SingleImageBlendEstimator.inversionAgreesWithFill`); fill it otherwise.
    public var checkInversionAgainstFill: Bool = true
    /// Weight of the exemplar (PatchMatch) result against the smooth FAST fill, 0...1.
    /// 1 = pure exemplar texture; lower values trade texture for PSNR.
    public var exemplarWeight: Float = 0.3
    /// Keep the exemplar fill only in the parts of the hole where it beats FAST on decoys of the same
    /// shape placed on nearby known pixels (`DecoyFillChoice`); FAST's fill elsewhere.
    public var checkExemplarOnDecoys: Bool = true
    /// Number of parallel work items (row bands) per step.
    public var workers: Int = 8
    /// Creates default options.
    public init() {}
}

/// QUALITY: blend inversion where the mark is semi-transparent and the inverted interior agrees with
/// the FAST fill's local mean, then multi-scale exemplar inpainting (PatchMatch + EM voting) initialised
/// from FAST for the rest, kept per part of the hole only where it fills decoys of that part's shape
/// better than FAST does.
public enum QualityInpainter {
    /// Returns a copy of `image` with the masked pixels restored.
    public static func inpaint(_ image: PixelImage, mask: Mask, options: QualityInpaintOptions = QualityInpaintOptions(),
                               context: OperationContext = OperationContext()) throws(InpaintError) -> PixelImage {
        guard mask.width == image.width, mask.height == image.height else {
            throw .invalidArgument("mask is \(mask.width)x\(mask.height), image is \(image.width)x\(image.height)")
        }
        guard mask.boundingBox != nil else { context.report(1); return image }
        // 1. Smooth FAST fill (initialisation and fallback).
        let fast = try FastInpainter.inpaint(image, mask: mask, options: FastInpaintOptions(radius: options.fastRadius),
                                             context: context.sub(0, 0.1))
        var result = image
        var remaining = mask
        // 2. Semi-transparent parts: invert the blend.
        if options.invertBlend {
            let est = try SingleImageBlendEstimator.estimate(image: image, mask: mask, smoothFill: fast,
                                                           checkAgainstFill: options.checkInversionAgainstFill, context: context.sub(0.1, 0.2))
            result = est.restored
            remaining = est.opaqueMask
        }
        // 3. Opaque remainder: exemplar inpainting, kept where it beats FAST on decoys of the same shape.
        if let bb = remaining.boundingBox {
            let filled = try exemplarFill(image: result, fast: fast, mask: remaining, box: bb, options: options,
                                          context: context.sub(0.2, 0.6))
            let exemplarKept = options.checkExemplarOnDecoys
                ? try DecoyFillChoice.exemplarPixels(image: filled, hole: remaining, marked: mask, options: options, context: context.sub(0.6, 1))
                : remaining
            let C = image.channels
            for i in 0..<(image.width * image.height) where remaining.values[i] != 0 {
                let source = exemplarKept.values[i] != 0 ? filled : fast
                for c in 0..<C { result.pixels[i * C + c] = source.pixels[i * C + c] }
            }
        }
        context.report(1)
        return result
    }

    /// Runs PatchMatch on a crop around the mask and writes the hole pixels back.
    static func exemplarFill(image: PixelImage, fast: PixelImage, mask: Mask, box: (minX: Int, minY: Int, maxX: Int, maxY: Int),
                             options: QualityInpaintOptions, context: OperationContext) throws(InpaintError) -> PixelImage {
        let W = image.width, H = image.height, C = image.channels
        let bw = box.maxX - box.minX + 1, bh = box.maxY - box.minY + 1
        let margin = max(48, max(bw, bh) / 2)
        let x0 = max(0, box.minX - margin), y0 = max(0, box.minY - margin)
        let x1 = min(W - 1, box.maxX + margin), y1 = min(H - 1, box.maxY + margin)
        let cw = x1 - x0 + 1, ch = y1 - y0 + 1
        // Crop: known pixels from `image`, hole pixels from the FAST fill.
        var initial = FloatImage(image, x0: x0, y0: y0, width: cw, height: ch)
        var hole = [UInt8](repeating: 0, count: cw * ch)
        for y in 0..<ch {
            for x in 0..<cw where mask.values[(y + y0) * W + x + x0] != 0 {
                hole[y * cw + x] = 1
                let si = ((y + y0) * W + x + x0) * C
                for c in 0..<C { initial.data[(y * cw + x) * C + c] = Float(fast.pixels[si + c]) }
            }
        }
        var params = PatchMatchInpainter.Parameters()
        params.patchRadius = options.patchRadius
        params.seed = options.seed
        params.workers = max(1, options.workers)
        let filled = try PatchMatchInpainter.inpaint(initial: initial, hole: hole, params: params, context: context)
        var out = image
        let wEx = min(1, max(0, options.exemplarWeight))
        for y in 0..<ch {
            for x in 0..<cw where hole[y * cw + x] != 0 {
                let di = ((y + y0) * W + x + x0) * C
                for c in 0..<C {
                    let v = wEx * filled.data[(y * cw + x) * C + c] + (1 - wEx) * Float(fast.pixels[di + c]) + 0.5
                    out.pixels[di + c] = v <= 0 ? 0 : (v >= 255 ? 255 : UInt8(v))
                }
            }
        }
        return out
    }
}
