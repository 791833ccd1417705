/// Measures how the picture around a mark moved between two frames: the zoom and shift (`SimilarityTransform`) that
/// carry one frame's pixels onto the other's, found by Lucas–Kanade (Gauss–Newton on the brightness difference, coarse
/// to fine over a pyramid) on the pixels the mark does not cover. Residuals are weighted down beyond twice their typical
/// size (Huber), so a small object crossing the region does not pull the estimate.
enum RegionMotionEstimator {
    /// A measured motion.
    struct Motion: Sendable {
        /// Maps the template's pixel positions to the target's.
        var transform: SimilarityTransform
        /// Mean absolute brightness difference left after the motion (0…255), over the pixels compared.
        var residual: Float
        /// Share of the template's known pixels that were compared (the rest left the target).
        var overlap: Double
    }

    /// The motion that carries `template`'s positions onto `target`'s (`target(T(p)) ≈ template(p)` for known `p`), or
    /// nil when too little of the picture is known or textured to tell.
    static func estimate(template: LumaPlane, target: LumaPlane, known: [Bool], levels: Int = 3,
                         iterations: Int = 6) -> Motion? {
        precondition(template.width == target.width && template.height == target.height && known.count == template.values.count)
        var pyramid = [(template, target, known)]
        for _ in 1..<levels {
            let (a, b, k) = pyramid[pyramid.count - 1]
            guard a.width >= 32, a.height >= 32 else { break }
            var halfKnown = [Bool](repeating: false, count: (a.width / 2) * (a.height / 2))
            for y in 0..<(a.height / 2) {
                for x in 0..<(a.width / 2) {
                    let i = 2 * y * a.width + 2 * x
                    halfKnown[y * (a.width / 2) + x] = k[i] && k[i + 1] && k[i + a.width] && k[i + a.width + 1]
                }
            }
            pyramid.append((a.halved(), b.halved(), halfKnown))
        }
        // Local parameters about the region's centre: zoom − 1 and shift, in full-resolution pixels.
        var a = 0.0, sx = 0.0, sy = 0.0
        var last: (residual: Float, overlap: Double)? = nil
        for level in stride(from: pyramid.count - 1, through: 0, by: -1) {
            let (tpl, tgt, k) = pyramid[level]
            let factor = Double(1 << level)
            let cx = Double(tpl.width - 1) / 2, cy = Double(tpl.height - 1) / 2
            let (gx, gy) = tgt.gradients()
            let gxPlane = LumaPlane(width: tgt.width, height: tgt.height, values: gx)
            let gyPlane = LumaPlane(width: tgt.width, height: tgt.height, values: gy)
            // At most about 4000 equations per level: plenty for three unknowns, and cheap on large regions.
            let step = max(1, Int((Double(tpl.width * tpl.height) / 4000).squareRoot()))
            var scale: Float = 8
            for _ in 0..<iterations {
                var h = [Double](repeating: 0, count: 6), g = [Double](repeating: 0, count: 3)
                var absSum: Float = 0, used = 0, candidates = 0
                for y in stride(from: 0, to: tpl.height, by: step) {
                    for x in stride(from: 0, to: tpl.width, by: step) where k[y * tpl.width + x] {
                        candidates += 1
                        let dx = Double(x) - cx, dy = Double(y) - cy
                        let wx = cx + (1 + a) * dx + sx / factor, wy = cy + (1 + a) * dy + sy / factor
                        guard let value = tgt.sample(wx, wy), let ix = gxPlane.sample(wx, wy), let iy = gyPlane.sample(wx, wy) else { continue }
                        let r = value - tpl.values[y * tpl.width + x]
                        let magnitude = abs(r)
                        absSum += magnitude
                        used += 1
                        let weight = Double(magnitude <= 2 * scale ? 1 : 2 * scale / magnitude)
                        // Derivatives with respect to (zoom − 1, shift x, shift y), shifts in this level's pixels.
                        let j0 = Double(ix) * dx + Double(iy) * dy, j1 = Double(ix), j2 = Double(iy)
                        h[0] += weight * j0 * j0; h[1] += weight * j0 * j1; h[2] += weight * j0 * j2
                        h[3] += weight * j1 * j1; h[4] += weight * j1 * j2; h[5] += weight * j2 * j2
                        let rw = weight * Double(r)
                        g[0] += rw * j0; g[1] += rw * j1; g[2] += rw * j2
                    }
                }
                guard used >= 64, candidates > 0 else { return nil }
                scale = max(1, 1.25 * absSum / Float(used))
                last = (absSum / Float(used), Double(used) / Double(candidates))
                guard let d = solve3(h, g) else { return nil }
                a -= d.0
                sx -= d.1 * factor
                sy -= d.2 * factor
                if abs(d.0) * Double(max(tpl.width, tpl.height)) < 0.01 && abs(d.1) < 0.01 && abs(d.2) < 0.01 { break }
            }
        }
        // A camera does not zoom by more than a few percent or jump by a tenth of the picture between two frames.
        guard let last, abs(a) <= maxZoomStep, abs(sx) <= maxShiftShare * Double(template.width),
              abs(sy) <= maxShiftShare * Double(template.height) else { return nil }
        // Where standing still explains the frames as well, the camera stood still: on static pictures with
        // repeated or flat patterns the fit can otherwise wander, and its small errors add up along a shot.
        let still = residualWithoutMotion(template: template, target: target, known: known)
        if still <= last.residual * 1.02 + 0.05 {
            return Motion(transform: .identity, residual: still, overlap: 1)
        }
        // p ↦ c + (1 + a)(p − c) + s, as scale and shift of the region's own coordinates.
        let cx = Double(template.width - 1) / 2, cy = Double(template.height - 1) / 2
        let transform = SimilarityTransform(scale: 1 + a, tx: cx - (1 + a) * cx + sx, ty: cy - (1 + a) * cy + sy)
        return Motion(transform: transform, residual: last.residual, overlap: last.overlap)
    }

    /// Largest zoom between two consecutive frames that is taken for a camera's (2 %).
    static let maxZoomStep = 0.02
    /// Largest shift between two consecutive frames that is taken for a camera's, as a share of the region's size.
    static let maxShiftShare = 0.1

    /// Mean absolute difference over the known pixels (sampled as the finest level is) when nothing moved.
    private static func residualWithoutMotion(template: LumaPlane, target: LumaPlane, known: [Bool]) -> Float {
        let step = max(1, Int((Double(template.width * template.height) / 4000).squareRoot()))
        var sum: Float = 0, count = 0
        for y in stride(from: 0, to: template.height, by: step) {
            for x in stride(from: 0, to: template.width, by: step) where known[y * template.width + x] {
                sum += abs(target.values[y * template.width + x] - template.values[y * template.width + x])
                count += 1
            }
        }
        return count > 0 ? sum / Float(count) : .infinity
    }

    /// Solves the symmetric 3x3 system `H d = g` (`h` = upper triangle, row by row); nil when it is singular.
    private static func solve3(_ h: [Double], _ g: [Double]) -> (Double, Double, Double)? {
        let (a, b, c, d, e, f) = (h[0], h[1], h[2], h[3], h[4], h[5])
        let det = a * (d * f - e * e) - b * (b * f - e * c) + c * (b * e - d * c)
        guard abs(det) > 1e-9 * max(1, abs(a * d * f)) else { return nil }
        let x = (g[0] * (d * f - e * e) - b * (g[1] * f - e * g[2]) + c * (g[1] * e - d * g[2])) / det
        let y = (a * (g[1] * f - e * g[2]) - g[0] * (b * f - e * c) + c * (b * g[2] - g[1] * c)) / det
        let z = (a * (d * g[2] - g[1] * e) - b * (b * g[2] - g[1] * c) + g[0] * (b * e - d * c)) / det
        return (x, y, z)
    }
}
