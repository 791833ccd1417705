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

    /// Median of a small buffer (reorders it in place).
    @inline(__always)
    static func median(_ v: UnsafeMutablePointer<Float>, _ n: Int) -> Float {
        let upper = select(v, n, n / 2)
        if n % 2 == 1 { return upper }
        // The lower middle is the largest value left of the upper one after the selection.
        var lower = v[0]
        for i in 1..<(n / 2) where v[i] > lower { lower = v[i] }
        return 0.5 * (lower + upper)
    }

    /// The `k`-th smallest of `v[0..<n]` (0-based), by quickselect (Hoare partition, median-of-three pivot); leaves
    /// the smaller values before index `k` and the larger after it.
    static func select(_ v: UnsafeMutablePointer<Float>, _ n: Int, _ k: Int) -> Float {
        var lo = 0, hi = n - 1
        while hi > lo {
            if hi - lo < 8 {
                for i in (lo + 1)...hi {
                    let x = v[i]
                    var j = i - 1
                    while j >= lo && v[j] > x { v[j + 1] = v[j]; j -= 1 }
                    v[j + 1] = x
                }
                return v[k]
            }
            let mid = lo + (hi - lo) / 2
            if v[mid] < v[lo] { swap(&v[mid], &v[lo]) }
            if v[hi] < v[lo] { swap(&v[hi], &v[lo]) }
            if v[hi] < v[mid] { swap(&v[hi], &v[mid]) }
            let pivot = v[mid]
            var i = lo, j = hi
            while i <= j {
                while v[i] < pivot { i += 1 }
                while v[j] > pivot { j -= 1 }
                if i <= j { swap(&v[i], &v[j]); i += 1; j -= 1 }
            }
            if k <= j { hi = j } else if k >= i { lo = i } else { return v[k] }
        }
        return v[k]
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

