/// Estimates a semi-transparent watermark blend from ONE image and its mask, and inverts it.
///
/// Model per masked pixel: `J = (1 - a) I + a W` with a grey watermark colour `W`. With a
/// smooth fill `D` as a stand-in for `I`, the per-pixel least-squares opacity over the three
/// channels is `a = <J - D, W - D> / |W - D|^2`. One bright and one dark colour are chosen
/// from a small candidate set by total robust residual (covers white text with a dark shadow).
/// Opacities are snapped to the mode `a0` of their colour class (glyph interiors share one
/// opacity) or to 0 (dilation margin, untouched pixels). Per connected component, the
/// inversion is accepted only if the component is not opaque (most opacities < 0.9), its mark is
/// grey as the model assumes (`markIsColoured`: a coloured mark inverted as a grey one leaves a
/// tinted ghost, worse than filling), the restored pixels are not rougher than the
/// surroundings (no leftover glyph edges), and the inverted interior's mean colour agrees with the
/// smooth fill's (`inversionAgreesWithFill`: a misread opacity or colour shifts it). Only the interior,
/// the pixels at the modal opacity, is inverted; the mark's outline, whose opacity each pixel's own fit
/// gives, is left to filling like the opaque pixels.
enum SingleImageBlendEstimator {
    struct Result {
        /// Image with accepted components inverted (other mask pixels unchanged).
        var restored: PixelImage
        /// Mask pixels that still need inpainting.
        var opaqueMask: Mask
        /// Fraction of mask pixels restored by inversion.
        var invertedFraction: Double
    }

    /// Grey levels tried for the watermark colour: the first `darkCount` are dark, the rest bright.
    /// (Adding 180/195 for white-on-shadow text composites was tried: it lowered PSNR on text.)
    static let candidates: [Float] = [0, 15, 30, 45, 210, 225, 240, 255]
    static let darkCount = 4

    static func estimate(image: PixelImage, mask: Mask, smoothFill: PixelImage, checkAgainstFill: Bool = true,
                         context: OperationContext) throws(InpaintError) -> Result {
        let W = image.width, H = image.height, C = image.channels
        guard C >= 3 else { return Result(restored: image, opaqueMask: mask, invertedFraction: 0) }
        var idx: [Int] = []
        for i in 0..<(W * H) where mask.values[i] != 0 { idx.append(i) }
        if idx.isEmpty { return Result(restored: image, opaqueMask: mask, invertedFraction: 0) }
        let J = image.pixels, D = smoothFill.pixels

        @inline(__always) func fit(_ i: Int, _ w: Float) -> (Float, Float) {
            var num: Float = 0, den: Float = 1e-6
            var d = SIMD3<Float>(), wd = SIMD3<Float>()
            for c in 0..<3 {
                d[c] = Float(J[i * C + c]) - Float(D[i * C + c])
                wd[c] = w - Float(D[i * C + c])
                num += d[c] * wd[c]; den += wd[c] * wd[c]
            }
            let a = min(0.98, max(0, num / den))
            let r = d - a * wd
            return (a, (r * r).sum())
        }
        // 1. Choose the bright and dark colours.
        var cost = [Double](repeating: 0, count: candidates.count)
        let step = max(1, idx.count / 50_000)
        for k in stride(from: 0, to: idx.count, by: step) {
            for (ci, w) in candidates.enumerated() { cost[ci] += Double(fit(idx[k], w).1.squareRoot()) }
        }
        let half = darkCount
        let wd = candidates[(0..<half).min { cost[$0] < cost[$1] }!]
        let wb = candidates[(half..<candidates.count).min { cost[$0] < cost[$1] }!]
        try context.check()

        // 2. Per-pixel opacity and colour class.
        var alpha = [Float](repeating: 0, count: idx.count)
        var bright = [Bool](repeating: false, count: idx.count)
        for k in 0..<idx.count {
            let (ab, rb) = fit(idx[k], wb), (ad, rd) = fit(idx[k], wd)
            bright[k] = rb <= rd
            alpha[k] = rb <= rd ? ab : ad
        }
        func mode(_ sel: Bool) -> Float {
            var hist = [Int](repeating: 0, count: 50)
            var n = 0
            for k in 0..<idx.count where bright[k] == sel && alpha[k] > 0.1 {
                hist[min(49, Int(alpha[k] * 50))] += 1; n += 1
            }
            if n < 30 { return 0.5 }
            var best = 0, bestV = -1
            for b in 0..<50 {
                let v = 2 * hist[b] + (b > 0 ? hist[b - 1] : 0) + (b < 49 ? hist[b + 1] : 0)
                if v > bestV { bestV = v; best = b }
            }
            return (Float(best) + 0.5) / 50
        }
        let a0b = mode(true), a0d = mode(false)

        // 3. Snap, invert.
        var restored = image
        var snapped = [Float](repeating: 0, count: idx.count)
        for k in 0..<idx.count {
            let a0 = bright[k] ? a0b : a0d
            var a = alpha[k]
            if a > 0.75 * a0 { a = max(a0, a > 0.9 ? a : a0) } else if a < 0.12 * a0 { a = 0 }
            snapped[k] = a
            let i = idx[k]
            if a <= 0 || a > 0.85 { continue }
            let w = bright[k] ? wb : wd
            let inv = 1 / (1 - a)
            for c in 0..<3 {
                let v = (Float(J[i * C + c]) - a * w) * inv
                restored.pixels[i * C + c] = UInt8(min(255, max(0, v.rounded())))
            }
        }
        try context.check()

        /// Whether pixel `k` is in a mark's interior: snapped to its colour class's modal opacity.
        func atModalOpacity(_ k: Int) -> Bool { snapped[k] > 0 && snapped[k] == (bright[k] ? a0b : a0d) }

        // 4. Per-component acceptance.
        let grouped = mask.dilated(radius: 4)
        let comps = ComponentLabels(grouped)
        var compPixels = [[Int]](repeating: [], count: comps.count)  // indices into idx
        for k in 0..<idx.count { compPixels[Int(comps.labels[idx[k]])].append(k) }
        @inline(__always) func luma(_ px: [UInt8], _ i: Int) -> Float {
            0.299 * Float(px[i * C]) + 0.587 * Float(px[i * C + 1]) + 0.114 * Float(px[i * C + 2])
        }
        @inline(__always) func grad(_ px: [UInt8], _ i: Int) -> Float {
            let x = i % W, y = i / W
            if x + 1 >= W || y + 1 >= H { return 0 }
            let l = luma(px, i)
            return abs(luma(px, i + 1) - l) + abs(luma(px, i + W) - l)
        }
        var opaque = Mask(width: W, height: H)
        var inverted = 0
        for ci in 0..<comps.count {
            let ks = compPixels[ci]
            if ks.isEmpty { continue }
            var marked = 0, high = 0
            for k in ks where alpha[k] > 0.1 {
                marked += 1
                if alpha[k] > 0.9 { high += 1 }
            }
            var accept = marked > 0 && Double(high) < 0.3 * Double(marked)
                && !markIsColoured(ks.map { idx[$0] }, image: J, fill: D, channels: C, grey: (wb, wd))
            if accept {
                // Roughness of the restored pixels vs the untouched ring around the component.
                var gIn: Float = 0, nIn: Float = 0, gOut: Float = 0, nOut: Float = 0
                for k in ks where snapped[k] <= 0.85 { gIn += grad(restored.pixels, idx[k]); nIn += 1 }
                let b = comps.boxes[ci]
                for y in b.1...b.3 {
                    for x in b.0...b.2 {
                        let i = y * W + x
                        if comps.labels[i] == Int32(ci) && mask.values[i] == 0 { gOut += grad(J, i); nOut += 1 }
                    }
                }
                if nIn > 0 && nOut > 10 {
                    accept = gIn / nIn <= 1.5 * (gOut / nOut) + 1
                }
            }
            if accept && checkAgainstFill {
                // The inverted interior's mean must agree with the smooth fill's guess for the same pixels
                // within a fraction of the texture's spread: a misread opacity or colour shifts it further.
                let interior = ks.filter { snapped[$0] <= 0.85 && atModalOpacity($0) }.map { idx[$0] }
                var ring: [Int] = []
                let b = comps.boxes[ci]
                for y in b.1...b.3 {
                    for x in b.0...b.2 where comps.labels[y * W + x] == Int32(ci) && mask.values[y * W + x] == 0 { ring.append(y * W + x) }
                }
                accept = inversionAgreesWithFill(interior: interior, ring: ring, restored: restored.pixels, image: J, fill: D, width: W, channels: C)
            }
            for k in ks {
                let i = idx[k]
                if !accept {
                    opaque.values[i] = 1
                    for c in 0..<C { restored.pixels[i * C + c] = J[i * C + c] }
                } else if snapped[k] > 0.85 || (snapped[k] > 0 && !atModalOpacity(k)) {
                    // Opaque pixels, and the mark's outline, whose opacity each pixel's own fit against the
                    // smooth fill gives: inverting those only returns the fill's guess with the fit's noise.
                    opaque.values[i] = 1
                    for c in 0..<C { restored.pixels[i * C + c] = J[i * C + c] }
                } else {
                    inverted += 1
                }
            }
        }
        context.report(1)
        return Result(restored: restored, opaqueMask: opaque, invertedFraction: Double(inverted) / Double(idx.count))
    }

    /// Whether an inverted component's interior (the pixels at the mark's modal opacity) is believable: the mean
    /// colour of the inverted pixels lies within `spread` times the texture's local contrast of the smooth
    /// fill's mean colour over the same pixels. A correct inversion restores the photo, whose local mean the
    /// fill estimates well; a misread opacity or colour (a mark across strong edges, an off-white or opaque
    /// mark read as a semi-transparent grey) leaves the interior too dark, too bright or tinted. The local
    /// contrast is the root mean square difference between ring pixels (the known pixels around the
    /// component) `contrastOffset` apart, so one strong edge through the ring does not loosen the test. With
    /// fewer than 30 interior or ring pixels there is no evidence either way and the inversion stands.
    static func inversionAgreesWithFill(interior: [Int], ring: [Int], restored R: [UInt8], image J: [UInt8], fill D: [UInt8],
                                        width W: Int, channels C: Int, spread: Double = 0.6, contrastOffset: Int = 3) -> Bool {
        guard interior.count >= 30, ring.count >= 30 else { return true }
        var shift = SIMD3<Double>()
        for i in interior {
            for c in 0..<3 { shift[c] += Double(R[i * C + c]) - Double(D[i * C + c]) }
        }
        shift /= Double(interior.count)
        let ringSet = Set(ring)
        var contrast = 0.0, pairs = 0
        for i in ring {
            for j in [i + contrastOffset, i + contrastOffset * W] where ringSet.contains(j) {
                for c in 0..<3 { let d = Double(J[i * C + c]) - Double(J[j * C + c]); contrast += d * d }
                pairs += 1
            }
        }
        guard pairs >= 30 else { return true }
        let localContrast = (contrast / Double(pairs)).squareRoot()
        return (shift * shift).sum().squareRoot() <= spread * localContrast
    }

    /// Whether the mark over `pixels` is coloured rather than the grey the inversion models: the
    /// share of the marked change `J - D` that one free RGB colour explains (opacity per pixel,
    /// colour fitted by alternating least squares from the grey guess) exceeds what the bright and
    /// dark greys explain by more than `colourGain`. Only pixels that changed clearly (more than
    /// `changed` in RGB distance) count; with fewer than 30 of them the mark is taken as grey.
    static func markIsColoured(_ pixels: [Int], image J: [UInt8], fill D: [UInt8], channels C: Int,
                               grey: (bright: Float, dark: Float), colourGain: Float = 0.10, changed: Float = 12) -> Bool {
        var changes: [(d: SIMD3<Float>, fill: SIMD3<Float>)] = []
        for i in pixels {
            let j = SIMD3<Float>(Float(J[i * C]), Float(J[i * C + 1]), Float(J[i * C + 2]))
            let f = SIMD3<Float>(Float(D[i * C]), Float(D[i * C + 1]), Float(D[i * C + 2]))
            let d = j - f
            if (d * d).sum() > changed * changed { changes.append((d, f)) }
        }
        guard changes.count >= 30 else { return false }
        @inline(__always) func opacity(_ d: SIMD3<Float>, towards wd: SIMD3<Float>) -> Float {
            min(0.98, max(0, (d * wd).sum() / ((wd * wd).sum() + 1e-6)))
        }
        @inline(__always) func residual(_ d: SIMD3<Float>, _ wd: SIMD3<Float>) -> Float {
            let r = d - opacity(d, towards: wd) * wd
            return (r * r).sum()
        }
        var total: Float = 0, greyResidual: Float = 0, brightCount = 0
        for (d, f) in changes {
            total += (d * d).sum()
            let rb = residual(d, SIMD3(repeating: grey.bright) - f), rd = residual(d, SIMD3(repeating: grey.dark) - f)
            greyResidual += min(rb, rd)
            if rb <= rd { brightCount += 1 }
        }
        var colour = SIMD3<Float>(repeating: brightCount * 2 >= changes.count ? grey.bright : grey.dark)
        for _ in 0..<10 {
            var num = SIMD3<Float>(), den: Float = 0
            for (d, f) in changes {
                let a = opacity(d, towards: colour - f)
                guard a > 0.1 else { continue }
                // J - (1 - a) D = a W, summed over pixels with weight a.
                num += a * (d + a * f)
                den += a * a
            }
            guard den > 0 else { break }
            colour = pointwiseMin(pointwiseMax(num / den, SIMD3(repeating: 0)), SIMD3(repeating: 255))
        }
        var colourResidual: Float = 0
        for (d, f) in changes { colourResidual += residual(d, colour - f) }
        return (greyResidual - colourResidual) / total > colourGain
    }
}
