/// Grey-level min/max filters with square windows (van Herk / Gil-Werman, O(1) per pixel).
enum MorphologyFilter {
    /// 1-D running min or max with window `2r+1` over `n` samples at `stride`.
    static func filter1D(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, n: Int, step: Int, r: Int,
                         isMax: Bool, g: UnsafeMutablePointer<Float>, h: UnsafeMutablePointer<Float>) {
        let k = 2 * r + 1
        let padded = n + 2 * r
        let blocks = (padded + k - 1) / k
        let total = blocks * k
        let fill: Float = isMax ? -Float.infinity : Float.infinity
        @inline(__always) func at(_ i: Int) -> Float {
            let j = i - r
            return (j < 0 || j >= n) ? fill : src[j * step]
        }
        @inline(__always) func op(_ a: Float, _ b: Float) -> Float { isMax ? max(a, b) : min(a, b) }
        for b in 0..<blocks {
            let s = b * k
            g[s] = at(s)
            for i in 1..<k { g[s + i] = op(g[s + i - 1], at(s + i)) }
            h[s + k - 1] = at(s + k - 1)
            for i in stride(from: k - 2, through: 0, by: -1) { h[s + i] = op(h[s + i + 1], at(s + i)) }
        }
        for i in 0..<n {
            // Window over padded indices [i, i + 2r].
            let lo = i, hi = i + 2 * r
            dst[i * step] = hi < total ? op(h[lo], g[hi]) : h[lo]
        }
    }

    /// The vertical pass of `filter1D` for all columns at once: the same running min or max, computed row by row
    /// so that every step is a contiguous, vectorisable loop over a row (a column at a time touches one cache
    /// line per pixel). `g` and `h` hold `blocks * (2r+1)` rows.
    static func filterColumns(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, width W: Int, height H: Int, r: Int,
                              isMax: Bool, g: UnsafeMutablePointer<Float>, h: UnsafeMutablePointer<Float>) {
        let k = 2 * r + 1
        let blocks = (H + 2 * r + k - 1) / k
        let total = blocks * k
        let fill: Float = isMax ? -Float.infinity : Float.infinity
        // out = op(a, row i of the padded source); a == nil copies the row.
        @inline(__always) func combine(_ out: UnsafeMutablePointer<Float>, _ a: UnsafePointer<Float>?, padded i: Int) {
            let j = i - r
            if j < 0 || j >= H {
                if let a { for x in 0..<W { out[x] = isMax ? max(a[x], fill) : min(a[x], fill) } } else { out.update(repeating: fill, count: W) }
                return
            }
            let row = src + j * W
            if let a {
                if isMax { for x in 0..<W { out[x] = max(a[x], row[x]) } } else { for x in 0..<W { out[x] = min(a[x], row[x]) } }
            } else {
                out.update(from: row, count: W)
            }
        }
        for b in 0..<blocks {
            let s = b * k
            combine(g + s * W, nil, padded: s)
            for i in 1..<k { combine(g + (s + i) * W, UnsafePointer(g + (s + i - 1) * W), padded: s + i) }
            combine(h + (s + k - 1) * W, nil, padded: s + k - 1)
            for i in stride(from: k - 2, through: 0, by: -1) { combine(h + (s + i) * W, UnsafePointer(h + (s + i + 1) * W), padded: s + i) }
        }
        for i in 0..<H {
            let out = dst + i * W, lo = h + i * W
            let hi = i + 2 * r
            if hi < total {
                let up = g + hi * W
                if isMax { for x in 0..<W { out[x] = max(lo[x], up[x]) } } else { for x in 0..<W { out[x] = min(lo[x], up[x]) } }
            } else {
                out.update(from: lo, count: W)
            }
        }
    }

    /// Square min (erosion) or max (dilation) filter of radius r on a single plane.
    static func filter(_ plane: [Float], width W: Int, height H: Int, r: Int, isMax: Bool) -> [Float] {
        var tmp = [Float](repeating: 0, count: W * H)
        var out = [Float](repeating: 0, count: W * H)
        let k = 2 * r + 1
        let rows = ((H + 2 * r + k - 1) / k) * k
        let cap = max(W + 4 * r + 2 * k, rows * W)
        let g = UnsafeMutablePointer<Float>.allocate(capacity: cap)
        let h = UnsafeMutablePointer<Float>.allocate(capacity: cap)
        defer { g.deallocate(); h.deallocate() }
        plane.withUnsafeBufferPointer { src in
            tmp.withUnsafeMutableBufferPointer { t in
                for y in 0..<H { filter1D(src.baseAddress! + y * W, t.baseAddress! + y * W, n: W, step: 1, r: r, isMax: isMax, g: g, h: h) }
            }
        }
        tmp.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { o in
                filterColumns(src.baseAddress!, o.baseAddress!, width: W, height: H, r: r, isMax: isMax, g: g, h: h)
            }
        }
        return out
    }

    /// Grey opening (removes bright structures thinner than the window).
    static func opening(_ p: [Float], width: Int, height: Int, r: Int) -> [Float] {
        filter(filter(p, width: width, height: height, r: r, isMax: false), width: width, height: height, r: r, isMax: true)
    }

    /// Grey closing (removes dark structures thinner than the window).
    static func closing(_ p: [Float], width: Int, height: Int, r: Int) -> [Float] {
        filter(filter(p, width: width, height: height, r: r, isMax: true), width: width, height: height, r: r, isMax: false)
    }
}
