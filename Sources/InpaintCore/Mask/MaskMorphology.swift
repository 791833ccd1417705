extension Mask {
    /// Dilates by a disc of radius `radius` pixels (pixel centres within `radius`).
    ///
    /// Exact and O(pixels) whatever the radius: each row's distance to its nearest set pixel, then per column
    /// the lower envelope of parabolas (Felzenszwalb & Huttenlocher's distance transform) gives the squared
    /// Euclidean distance to the nearest set pixel, compared with `radius`². Only the set pixels' bounding box,
    /// grown by the radius, is visited.
    public func dilated(radius: Int) -> Mask {
        guard radius > 0, let box = boundingBox else { return self }
        let w = width, h = height
        let x0 = max(0, box.minX - radius), x1 = min(w - 1, box.maxX + radius)
        let y0 = max(0, box.minY - radius), y1 = min(h - 1, box.maxY + radius)
        let bw = x1 - x0 + 1, bh = y1 - y0 + 1
        // Distances beyond the radius only need to stay beyond it.
        let far = radius + 1
        var out = [UInt8](repeating: 0, count: w * h)
        let rowDistance = UnsafeMutablePointer<Int32>.allocate(capacity: bw * bh)
        let f = UnsafeMutablePointer<Int>.allocate(capacity: bh), vertex = UnsafeMutablePointer<Int>.allocate(capacity: bh)
        let boundary = UnsafeMutablePointer<Double>.allocate(capacity: bh + 1)
        defer { rowDistance.deallocate(); f.deallocate(); vertex.deallocate(); boundary.deallocate() }
        values.withUnsafeBufferPointer { source in
            for y in 0..<bh {
                let row = source.baseAddress! + (y + y0) * w + x0, distance = rowDistance + y * bw
                var last = -2 * far
                for x in 0..<bw {
                    if row[x] != 0 { last = x }
                    distance[x] = Int32(min(far, x - last))
                }
                var next = bw + 2 * far
                for x in stride(from: bw - 1, through: 0, by: -1) {
                    if row[x] != 0 { next = x }
                    distance[x] = min(distance[x], Int32(min(far, next - x)))
                }
            }
        }
        let limit = radius * radius
        out.withUnsafeMutableBufferPointer { target in
            for x in 0..<bw {
                var anyNear = false
                for y in 0..<bh {
                    let d = Int(rowDistance[y * bw + x])
                    f[y] = d * d
                    if d <= radius { anyNear = true }
                }
                guard anyNear else { continue }
                // Lower envelope of the parabolas (y - q)² + f[q].
                @inline(__always) func intersection(_ q: Int, _ v: Int) -> Double {
                    Double((f[q] + q * q) - (f[v] + v * v)) / Double(2 * (q - v))
                }
                var k = 0
                vertex[0] = 0; boundary[0] = -.infinity; boundary[1] = .infinity
                for q in 1..<max(1, bh) {
                    var s = intersection(q, vertex[k])
                    while s <= boundary[k] { k -= 1; s = intersection(q, vertex[k]) }
                    k += 1
                    vertex[k] = q; boundary[k] = s; boundary[k + 1] = .infinity
                }
                k = 0
                let column = target.baseAddress! + y0 * w + x0 + x
                for y in 0..<bh {
                    while boundary[k + 1] < Double(y) { k += 1 }
                    let v = vertex[k]
                    if (y - v) * (y - v) + f[v] <= limit { column[y * w] = 1 }
                }
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
