/// Small raster helpers shared by the detectors.
enum MaskOps {
    /// Fills background regions that do not touch the image border (holes inside shapes),
    /// when a hole has at most `maxHole` pixels.
    static func fillHoles(_ mask: Mask, maxHole: Int) -> Mask {
        let W = mask.width, H = mask.height
        let inv = Mask(width: W, height: H, values: mask.values.map { $0 != 0 ? 0 : 1 })
        let comps = ComponentLabels(inv, connectivity: .four)
        var out = mask
        for ci in 0..<comps.count {
            let b = comps.boxes[ci]
            let touches = b.0 == 0 || b.1 == 0 || b.2 == W - 1 || b.3 == H - 1
            if touches || comps.sizes[ci] > maxHole { continue }
            for y in b.1...b.3 { for x in b.0...b.2 where comps.labels[y * W + x] == Int32(ci) { out.values[y * W + x] = 1 } }
        }
        return out
    }

    /// Median of a small buffer (sorts it in place).
    @inline(__always)
    static func median(_ v: UnsafeMutablePointer<Float>, _ n: Int) -> Float {
        for i in 1..<n {
            let x = v[i]
            var j = i - 1
            while j >= 0 && v[j] > x { v[j + 1] = v[j]; j -= 1 }
            v[j + 1] = x
        }
        return n % 2 == 1 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2])
    }

    /// Value at quantile `q` (0...1) of non-negative values, by a 4096-bin histogram up to `maxValue`.
    static func quantile(_ values: [Float], q: Double, maxValue: Float) -> Float {
        var hist = [Int](repeating: 0, count: 4096)
        for v in values { hist[min(4095, max(0, Int(v / maxValue * 4095)))] += 1 }
        let target = Int(Double(values.count) * q)
        var acc = 0
        for b in 0..<4096 {
            acc += hist[b]
            if acc > target { return Float(b) / 4095 * maxValue }
        }
        return maxValue
    }
}

