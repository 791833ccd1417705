extension Mask {
    /// Dilates by a disc of radius `radius` pixels (pixel centres within `radius`).
    public func dilated(radius: Int) -> Mask {
        guard radius > 0 else { return self }
        let w = width, h = height
        // Horizontal dilation by each half-width needed, then OR over rows.
        var halfWidths = [Int]()
        for dy in -radius...radius {
            let r2 = radius * radius - dy * dy
            var hw = 0
            while (hw + 1) * (hw + 1) <= r2 { hw += 1 }
            halfWidths.append(hw)
        }
        let distinct = Array(Set(halfWidths)).sorted()
        // Prefix sums per row give O(1) "any set pixel in [x-hw, x+hw]".
        var prefix = [Int32](repeating: 0, count: (w + 1) * h)
        for y in 0..<h {
            var s: Int32 = 0
            let base = y * (w + 1)
            for x in 0..<w {
                s += Int32(values[y * w + x])
                prefix[base + x + 1] = s
            }
        }
        var rowDilated = [[UInt8]](repeating: [], count: distinct.count)
        var out = [UInt8](repeating: 0, count: w * h)
        for (k, hw) in distinct.enumerated() {
            var d = [UInt8](repeating: 0, count: w * h)
            for y in 0..<h {
                let base = y * (w + 1)
                for x in 0..<w {
                    let a = max(0, x - hw), b = min(w, x + hw + 1)
                    d[y * w + x] = prefix[base + b] - prefix[base + a] > 0 ? 1 : 0
                }
            }
            rowDilated[k] = d
        }
        for (i, dy) in (-radius...radius).enumerated() {
            let k = distinct.firstIndex(of: halfWidths[i])!
            let src = rowDilated[k]
            for y in 0..<h {
                let sy = y + dy
                if sy < 0 || sy >= h { continue }
                let so = sy * w, o = y * w
                for x in 0..<w where src[so + x] != 0 { out[o + x] = 1 }
            }
        }
        return Mask(width: w, height: h, values: out)
    }

    /// Erodes by a disc of radius `radius` (the complement of dilating the complement).
    public func eroded(radius: Int) -> Mask {
        guard radius > 0 else { return self }
        let inv = Mask(width: width, height: height, values: values.map { $0 != 0 ? 0 : 1 })
        let d = inv.dilated(radius: radius)
        return Mask(width: width, height: height, values: d.values.map { $0 != 0 ? 0 : 1 })
    }
}
