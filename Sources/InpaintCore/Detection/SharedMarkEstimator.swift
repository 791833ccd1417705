/// Multi-image watermark estimation (after Dekel et al., CVPR 2017, "On the Effectiveness of
/// Visible Watermarks"), simplified:
///
/// 1. The per-pixel **median of the luma gradients** over N >= 2 images keeps the gradients of
///    the shared mark and cancels those of the varying photos; thresholding, closing and hole
///    filling give a candidate region. Pixels identical in every image are an opaque mark.
/// 2. Each image is FAST-filled over the candidate region (an estimate `Î_k` of the clean photo).
///    A pixel belongs to the mark when the residuals `J_k - Î_k` agree across images (robust
///    median vs median absolute deviation).
/// 3. Per marked pixel, least squares over the images of `J_k = a Î_k + c` (shared slope over
///    RGB, per-channel intercept) gives `alpha = 1 - a` and `W = c / alpha`.
public enum SharedMarkEstimator {
    /// Result of a multi-image estimate.
    public struct Estimate: Sendable {
        /// Pixels of the mark, dilated by 2 px (the fill mask).
        public var mask: Mask
        /// The estimated opacity/colour matte.
        public var matte: WatermarkMatte
        /// Confidence 0...1 (strength of the shared gradient signal).
        public var confidence: Double
    }

    /// Estimates the shared mark. All images must have the same size and >= 3 channels.
    public static func estimate(images: [PixelImage], context: OperationContext = OperationContext()) throws(InpaintError) -> Estimate {
        guard images.count >= 2 else { throw .invalidArgument("need at least 2 images sharing the mark") }
        let W = images[0].width, H = images[0].height
        for im in images where im.width != W || im.height != H || im.channels < 3 {
            throw .invalidArgument("all images must be RGB and \(W)x\(H)")
        }
        let N = images.count, P = W * H
        let lumas = images.map { $0.luma() }
        try context.check()
        // 1. Median gradients.
        var mag = [Float](repeating: 0, count: P)
        var sdLow = [UInt8](repeating: 0, count: P)
        let buf = UnsafeMutablePointer<Float>.allocate(capacity: N)
        let buf2 = UnsafeMutablePointer<Float>.allocate(capacity: N)
        defer { buf.deallocate(); buf2.deallocate() }
        for y in 0..<H {
            for x in 0..<W {
                let i = y * W + x
                for k in 0..<N {
                    let l = lumas[k]
                    buf[k] = x + 1 < W ? l[i + 1] - l[i] : 0
                    buf2[k] = y + 1 < H ? l[i + W] - l[i] : 0
                }
                let gx = MaskOps.median(buf, N), gy = MaskOps.median(buf2, N)
                mag[i] = (gx * gx + gy * gy).squareRoot()
                // Identical in every image (all channels): opaque shared overlay.
                var same = true
                let c0 = images[0]
                outer: for k in 1..<N {
                    let ck = images[k]
                    for c in 0..<3 where abs(Int(ck.pixels[i * ck.channels + c]) - Int(c0.pixels[i * c0.channels + c])) > 2 {
                        same = false; break outer
                    }
                }
                sdLow[i] = same ? 1 : 0
            }
            if y % 64 == 0 { try context.check(); context.report(0.3 * Double(y) / Double(H)) }
        }
        let p999 = MaskOps.quantile(mag, q: 0.999, maxValue: 255)
        let thrE = max(2, 0.15 * p999)
        var edges = Mask(width: W, height: H, values: mag.map { $0 > thrE ? 1 : 0 })
        edges = edges.dilated(radius: 3).eroded(radius: 3)
        edges = MaskOps.fillHoles(edges, maxHole: P / 20)
        for i in 0..<P where sdLow[i] != 0 { edges.values[i] = 1 }
        let candidate = edges.dilated(radius: 2)
        let candIdx = (0..<P).filter { candidate.values[$0] != 0 }
        if candIdx.isEmpty || p999 < 4 {
            let matte = WatermarkMatte(width: W, height: H, alpha: [Float](repeating: 0, count: P), uniformColor: (0, 0, 0))
            return Estimate(mask: Mask(width: W, height: H), matte: matte, confidence: Double(p999 / 8).clamped01)
        }
        // 2. FAST fills and residual agreement.
        var fills: [PixelImage] = []
        for (k, im) in images.enumerated() {
            fills.append(try FastInpainter.inpaint(im, mask: candidate, options: FastInpaintOptions(relaxationSweeps: 12)))
            context.report(0.3 + 0.5 * Double(k + 1) / Double(N))
        }
        var marked = Mask(width: W, height: H)
        var alpha = [Float](repeating: 0, count: P)
        var color = [Float](repeating: 0, count: P * 3)
        for i in candIdx {
            for k in 0..<N {
                let im = images[k], f = fills[k], C = im.channels
                var d: Float = 0
                for c in 0..<3 { d += Float(im.pixels[i * C + c]) - Float(f.pixels[i * C + c]) }
                buf[k] = d / 3
            }
            let med = MaskOps.median(buf, N)
            for k in 0..<N { buf2[k] = abs(buf[k] - med) }
            let mad = MaskOps.median(buf2, N)
            let isMark = sdLow[i] != 0 || (abs(med) > 8 && abs(med) > 1.5 * mad)
            if !isMark { continue }
            marked.values[i] = 1
            // 3. Per-pixel least squares J = a * I + c.
            if sdLow[i] != 0 {
                alpha[i] = 1
                for c in 0..<3 { color[i * 3 + c] = Float(images[0].pixels[i * images[0].channels + c]) }
                continue
            }
            var meanJ = SIMD3<Float>(), meanI = SIMD3<Float>()
            for k in 0..<N {
                let C = images[k].channels
                for c in 0..<3 { meanJ[c] += Float(images[k].pixels[i * C + c]); meanI[c] += Float(fills[k].pixels[i * C + c]) }
            }
            meanJ /= Float(N); meanI /= Float(N)
            var sxy: Float = 0, sxx: Float = 0
            for k in 0..<N {
                let C = images[k].channels
                for c in 0..<3 {
                    let di = Float(fills[k].pixels[i * C + c]) - meanI[c]
                    sxy += di * (Float(images[k].pixels[i * C + c]) - meanJ[c]); sxx += di * di
                }
            }
            let a = sxx > 1 ? min(1, max(0, sxy / sxx)) : 0.5
            let al = 1 - a
            alpha[i] = al
            for c in 0..<3 { color[i * 3 + c] = al > 0.05 ? min(255, max(0, (meanJ[c] - a * meanI[c]) / al)) : 0 }
        }
        context.report(1)
        let matte = WatermarkMatte(width: W, height: H, alpha: alpha, color: color)
        let conf = marked.count < 30 ? 0 : Double(p999 / 12).clamped01
        return Estimate(mask: marked.dilated(radius: 2), matte: matte, confidence: conf)
    }
}

extension Double {
    /// Clamped to 0...1.
    var clamped01: Double { Swift.min(1, Swift.max(0, self)) }
}
