/// Successive over-relaxation of the discrete Laplace equation on the masked pixels, with the
/// unmasked pixels as fixed boundary values (harmonic fill). Used as a cheap smoothing pass after
/// FAST: it removes the directional streaks of the one-pass fill and fits smooth shading exactly.
enum HarmonicRelaxation {
    /// A horizontal run of masked pixels: row `y`, columns `x0..<x1`.
    struct Run { var y: Int32; var x0: Int32; var x1: Int32 }

    /// Row runs of the mask inside `box`.
    static func runs(of mask: Mask, box: (Int, Int, Int, Int)) -> [Run] {
        var out: [Run] = []
        let (bx0, by0, bx1, by1) = box
        let W = mask.width
        mask.values.withUnsafeBufferPointer { m in
            for y in by0...by1 {
                var x = bx0
                let row = y * W
                while x <= bx1 {
                    if m[row + x] == 0 { x += 1; continue }
                    let s = x
                    while x <= bx1 && m[row + x] != 0 { x += 1 }
                    out.append(Run(y: Int32(y), x0: Int32(s), x1: Int32(x)))
                }
            }
        }
        return out
    }

    /// Runs `sweeps` alternating-direction SOR sweeps in place over the mask inside `box`.
    static func relax(_ image: inout PixelImage, mask: Mask, box: (Int, Int, Int, Int), sweeps: Int,
                      omega: Float = 1.6, context: OperationContext) throws(InpaintError) {
        let W = image.width, H = image.height, C = image.channels
        let runs = runs(of: mask, box: box)
        if runs.isEmpty { return }
        let stride = W * C
        try image.pixels.withUnsafeMutableBufferPointer { (img: inout UnsafeMutableBufferPointer<UInt8>) throws(InpaintError) in
            let px = img.baseAddress!
            try runs.withUnsafeBufferPointer { (rs: UnsafeBufferPointer<Run>) throws(InpaintError) in
                for sweep in 0..<sweeps {
                    try context.check()
                    let forward = sweep % 2 == 0
                    for j in 0..<rs.count {
                        let r = rs[forward ? j : rs.count - 1 - j]
                        let y = Int(r.y)
                        let up = y > 0, down = y < H - 1
                        var x = forward ? Int(r.x0) : Int(r.x1) - 1
                        let step = forward ? 1 : -1
                        let end = forward ? Int(r.x1) : Int(r.x0) - 1
                        while x != end {
                            let b = (y * W + x) * C
                            let left = x > 0, right = x < W - 1
                            let n = Float((left ? 1 : 0) + (right ? 1 : 0) + (up ? 1 : 0) + (down ? 1 : 0))
                            let inv = omega / n
                            for c in 0..<C {
                                let p = px + b + c
                                var s = 0
                                if left { s += Int(p[-C]) }
                                if right { s += Int(p[C]) }
                                if up { s += Int(p[-stride]) }
                                if down { s += Int(p[stride]) }
                                let old = Float(p.pointee)
                                let v = old + (Float(s) * inv - omega * old) + 0.5
                                p.pointee = v <= 0 ? 0 : (v >= 255 ? 255 : UInt8(v))
                            }
                            x += step
                        }
                    }
                }
            }
        }
    }
}
