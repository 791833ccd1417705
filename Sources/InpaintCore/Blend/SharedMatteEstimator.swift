import Dispatch
import Synchronization

/// Estimates a watermark that sits at the same place in several images over different content — the frames of a
/// video, or photos sharing a mark — inside a known mask (after Dekel et al., CVPR 2017: what is constant across the
/// images is the mark, what varies is the content).
///
/// The blend is `J = (1 - a) I + a c` with one colour `c` for the mark. Each image is FAST-filled under the mask
/// (`Î`, an estimate of its clean content); per pixel the opacity is the **median over the images** of the projection
/// of `J - Î` on `c - Î`. A fill error moves one image's projection, not the median, so unlike a per-pixel
/// least-squares fit of `J` on `Î` (which the fill errors bias towards opacity 1) the estimate stays close to the
/// truth. The colour is re-estimated from the opacities (least squares over all pixels and images) and the two steps
/// alternate. Pixels at or above `opaqueThreshold`, with too few images where `c - Î` is large enough to divide by,
/// or whose projections disagree across images (median absolute deviation above `maxSpread`) are marked to fill; so
/// are pixels that hardly change while the content under them does (`std J < (1 - opaqueThreshold) std Î`: an
/// opaque part, whatever its colour — the blend model says `std J = (1 - a) std I`), and pixels whose inversion lands
/// much further from their fill than the mark's typical pixel does (`disagreementFactor`). A connected part of the
/// mask that is at least half to be filled is filled whole.
public enum SharedMatteEstimator {
    /// Tuning of the estimate.
    public struct Options: Sendable {
        /// Opacity at or above which a pixel is filled rather than inverted.
        public var opaqueThreshold: Float = 0.85
        /// Largest median absolute deviation of a pixel's per-image opacities that is still inverted.
        public var maxSpread: Float = 0.25
        /// Colour/opacity alternations.
        public var iterations = 6
        /// A pixel whose inversion lands further from its fill (median over the images, levels) than this factor
        /// times the mark's typical distance is filled.
        public var disagreementFactor: Float = 4
        /// … but never for a distance under this many levels.
        public var minDisagreement: Float = 12
        /// Creates the defaults.
        public init() {}
    }

    /// Estimates the mark under `mask` from `images` (same size, RGB, at least 3).
    public static func estimate(images: [PixelImage], mask: Mask, options: Options = Options(),
                                context: OperationContext = OperationContext()) throws(InpaintError) -> SharedMatte {
        guard images.count >= 3 else { throw .invalidArgument("need at least 3 images sharing the mark, got \(images.count)") }
        let W = mask.width, H = mask.height
        for im in images where im.width != W || im.height != H || im.channels < 3 {
            throw .invalidArgument("every image must be RGB and \(W)x\(H) like the mask")
        }
        let N = images.count
        // The fills, one image per core at a time (each is deterministic, so the result does not depend on the order).
        let fills = Mutex<[Int: Swift.Result<PixelImage, InpaintError>]>([:])
        DispatchQueue.concurrentPerform(iterations: 2) { worker in
            for k in stride(from: worker, to: N, by: 2) {
                let outcome: Swift.Result<PixelImage, InpaintError>
                do throws(InpaintError) {
                    try context.check()
                    outcome = .success(try fill(images[k], mask: mask))
                } catch {
                    outcome = .failure(error)
                }
                let done = fills.withLock { $0[k] = outcome; return $0.count }
                context.report(0.8 * Double(done) / Double(N))
            }
        }
        let filledImages = try (0..<N).map { k throws(InpaintError) in try fills.withLock { $0[k]! }.get() }
        return try estimate(images: images, fills: filledImages, mask: mask, options: options, context: context)
    }

    /// Each image's clean content as the estimate assumes it: the image FAST-filled under `mask`. Computing these as
    /// images arrive (a video's frames while it is decoded) and passing them to `estimate(images:fills:…)` gives the
    /// same estimate.
    public static func fill(_ image: PixelImage, mask: Mask) throws(InpaintError) -> PixelImage {
        try FastInpainter.inpaint(image, mask: mask)
    }

    /// Estimates the mark under `mask` from `images` and their `fill(_:mask:)`s, in the same order.
    public static func estimate(images: [PixelImage], fills: [PixelImage], mask: Mask, options: Options = Options(),
                                context: OperationContext = OperationContext()) throws(InpaintError) -> SharedMatte {
        guard images.count >= 3, fills.count == images.count else {
            throw .invalidArgument("need at least 3 images sharing the mark and one fill per image, got \(images.count) and \(fills.count)")
        }
        let W = mask.width, H = mask.height
        for im in images + fills where im.width != W || im.height != H || im.channels < 3 {
            throw .invalidArgument("every image must be RGB and \(W)x\(H) like the mask")
        }
        let N = images.count
        let marked = (0..<(W * H)).filter { mask.values[$0] != 0 }
        let M = marked.count
        // Observed and filled colours of the masked pixels, [image][pixel][channel].
        var observed = [Float](repeating: 0, count: N * M * 3)
        var filled = [Float](repeating: 0, count: N * M * 3)
        for (k, image) in images.enumerated() {
            let fill = fills[k]
            let C = image.channels, FC = fill.channels
            for (j, i) in marked.enumerated() {
                for c in 0..<3 {
                    observed[(k * M + j) * 3 + c] = Float(image.pixels[i * C + c])
                    filled[(k * M + j) * 3 + c] = Float(fill.pixels[i * FC + c])
                }
            }
        }
        // Start from white or black, whichever side the mark moves the pixels to.
        var lift: Float = 0
        for n in 0..<observed.count { lift += observed[n] - filled[n] }
        var colour = SIMD3<Float>(repeating: lift >= 0 ? 255 : 0)

        var alpha = [Float](repeating: 0, count: M)
        var usable = [Bool](repeating: false, count: M)
        var spread = [Float](repeating: 0, count: M)
        let ratios = UnsafeMutablePointer<Float>.allocate(capacity: N)
        let deviations = UnsafeMutablePointer<Float>.allocate(capacity: N)
        defer { ratios.deallocate(); deviations.deallocate() }
        let minimumImages = max(3, N / 4)
        // |c - Î|² below this (15 levels per channel) makes the projection a division by noise.
        let minimumContrast: Float = 3 * 15 * 15

        for iteration in 0..<max(1, options.iterations) {
            try context.check()
            for j in 0..<M {
                var n = 0
                for k in 0..<N {
                    let b = (k * M + j) * 3
                    var dot: Float = 0, norm: Float = 0
                    for c in 0..<3 {
                        let towardsMark = colour[c] - filled[b + c]
                        dot += (observed[b + c] - filled[b + c]) * towardsMark
                        norm += towardsMark * towardsMark
                    }
                    if norm >= minimumContrast { ratios[n] = dot / norm; n += 1 }
                }
                usable[j] = n >= minimumImages
                guard usable[j] else { alpha[j] = 0; continue }
                let median = MaskOps.median(ratios, n)
                alpha[j] = min(1, max(0, median))
                if iteration == options.iterations - 1 {
                    for m in 0..<n { deviations[m] = abs(ratios[m] - median) }
                    spread[j] = MaskOps.median(deviations, n)
                }
            }
            if iteration == options.iterations - 1 { break }
            // Colour: least squares of J - (1 - a) Î = a c over the clearly marked pixels.
            var numerator = SIMD3<Float>(repeating: 0)
            var denominator: Float = 0
            for j in 0..<M where usable[j] && alpha[j] >= 0.1 {
                let a = alpha[j]
                for k in 0..<N {
                    let b = (k * M + j) * 3
                    for c in 0..<3 { numerator[c] += a * (observed[b + c] - (1 - a) * filled[b + c]) }
                    denominator += a * a
                }
            }
            guard denominator > 0 else { break }
            colour = SIMD3<Float>(
                min(255, max(0, numerator.x / denominator)),
                min(255, max(0, numerator.y / denominator)),
                min(255, max(0, numerator.z / denominator)))
        }
        context.report(1)

        // How far each pixel's inversion lands from its fill (median over the images): a misread pixel (an opaque part
        // of another colour, say) lands far, a well-read one within the fill's own error.
        var disagreement = [Float](repeating: 0, count: M)
        for j in 0..<M where usable[j] && alpha[j] < options.opaqueThreshold {
            let keep = 1 / (1 - alpha[j])
            for k in 0..<N {
                let b = (k * M + j) * 3
                var d: Float = 0
                for c in 0..<3 { d += abs((observed[b + c] - alpha[j] * colour[c]) * keep - filled[b + c]) }
                ratios[k] = d / 3
            }
            disagreement[j] = MaskOps.median(ratios, N)
        }
        var typical = disagreement.enumerated().filter { usable[$0.offset] && alpha[$0.offset] >= 0.1 && alpha[$0.offset] < options.opaqueThreshold }.map(\.element)
        typical.sort()
        let tolerance = max(options.minDisagreement, options.disagreementFactor * (typical.isEmpty ? 0 : typical[typical.count / 2]))

        var fullAlpha = [Float](repeating: 0, count: W * H)
        var toFill = Mask(width: W, height: H)
        for (j, i) in marked.enumerated() {
            if !usable[j] || alpha[j] >= options.opaqueThreshold || spread[j] > options.maxSpread || disagreement[j] > tolerance
                || barelyChanges(pixel: j, observed: observed, filled: filled, images: N, pixels: M, opaqueThreshold: options.opaqueThreshold) {
                toFill.values[i] = 1
                fullAlpha[i] = 1
            } else {
                fullAlpha[i] = alpha[j]
            }
        }
        // A part of the mask that is mostly to be filled is an opaque (or misread) mark: fill all of it rather than
        // invert the rest of it.
        let parts = ComponentLabels(mask)
        var filledPerPart = [Int](repeating: 0, count: parts.count + 1)
        for i in marked where toFill.values[i] != 0 { filledPerPart[Int(parts.labels[i])] += 1 }
        for i in marked where toFill.values[i] == 0 {
            let part = Int(parts.labels[i])
            if filledPerPart[part] * 2 >= parts.sizes[part] { toFill.values[i] = 1; fullAlpha[i] = 1 }
        }
        var inverted = marked.filter { toFill.values[$0] == 0 && fullAlpha[$0] >= SharedMatte.uncoveredOpacity }.map { fullAlpha[$0] }
        let matte = WatermarkMatte(width: W, height: H, alpha: fullAlpha, uniformColor: (colour.x, colour.y, colour.z))
        var medianOpacity: Float = 0
        if !inverted.isEmpty {
            inverted.sort()
            medianOpacity = inverted[inverted.count / 2]
        }
        return SharedMatte(matte: matte, fill: toFill, colour: colour, medianOpacity: medianOpacity)
    }

    /// Whether a pixel stays (nearly) constant across the images while its fill varies clearly (≥ 6 levels of
    /// standard deviation) — by less than 2.5 levels (codec noise) or than `1 - opaqueThreshold` of the fill's
    /// variation: an opaque part of the mark.
    static func barelyChanges(pixel j: Int, observed: [Float], filled: [Float], images N: Int, pixels M: Int,
                              opaqueThreshold: Float) -> Bool {
        var meanJ = SIMD3<Float>(repeating: 0), meanI = SIMD3<Float>(repeating: 0)
        for k in 0..<N {
            let b = (k * M + j) * 3
            meanJ += SIMD3(observed[b], observed[b + 1], observed[b + 2])
            meanI += SIMD3(filled[b], filled[b + 1], filled[b + 2])
        }
        meanJ /= Float(N); meanI /= Float(N)
        var varJ: Float = 0, varI: Float = 0
        for k in 0..<N {
            let b = (k * M + j) * 3
            let dJ = SIMD3(observed[b], observed[b + 1], observed[b + 2]) - meanJ
            let dI = SIMD3(filled[b], filled[b + 1], filled[b + 2]) - meanI
            varJ += (dJ * dJ).sum()
            varI += (dI * dI).sum()
        }
        let sdJ = (varJ / Float(3 * N)).squareRoot(), sdI = (varI / Float(3 * N)).squareRoot()
        return sdI >= 6 && (sdJ < (1 - opaqueThreshold) * sdI || sdJ < 2.5)
    }
}
