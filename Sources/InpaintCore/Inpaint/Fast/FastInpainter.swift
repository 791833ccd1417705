/// Options for FAST (fast-marching) inpainting.
public struct FastInpaintOptions: Sendable {
    /// Neighbourhood radius (pixels) of the weighted average (OpenCV's `inpaintRadius`).
    public var radius: Int
    /// Use the first-order term of Telea (2004): each neighbour contributes
    /// `I(q) + grad I(q) . (p - q)` instead of `I(q)`.
    public var gradientTerm: Bool

    /// Gauss-Seidel sweeps of harmonic (Laplace) relaxation over the filled pixels after the
    /// march; smooths the directional artefacts of the one-pass fill (0 = pure Telea).
    public var relaxationSweeps: Int
    /// Over-relaxation factor of the sweeps (1 = Gauss-Seidel).
    public var relaxationOmega: Float = 1.6

    /// Defaults tuned on the benchmark.
    public init(radius: Int = 3, gradientTerm: Bool = false, relaxationSweeps: Int = 12) {
        self.radius = radius
        self.gradientTerm = gradientTerm
        self.relaxationSweeps = relaxationSweeps
    }
}

/// FAST: fast-marching inpainting after A. Telea, "An Image Inpainting Technique Based on the
/// Fast Marching Method" (2004).
///
/// Pixels are filled in order of their distance `T` to the mask boundary (binary heap), each as
/// a weighted average of already known pixels within `radius`, weighted by direction
/// (alignment with the normal `grad T`), geometric distance and level-set distance.
/// Works on the mask's bounding box only; memory is 5 bytes per box pixel plus the heap.
public enum FastInpainter {
    // Flag values in the padded grid.
    static let known: UInt8 = 0, band: UInt8 = 1, inside: UInt8 = 2, outside: UInt8 = 3, far: UInt8 = 4, outerBand: UInt8 = 5
    static let big: Float = 1.0e6

    /// Returns a copy of `image` with the masked pixels filled.
    public static func inpaint(_ image: PixelImage, mask: Mask, options: FastInpaintOptions = FastInpaintOptions(),
                               context: OperationContext = OperationContext()) throws(InpaintError) -> PixelImage {
        var out = image
        try inpaint(&out, mask: mask, options: options, context: context)
        return out
    }

    /// Fills the masked pixels of `image` in place.
    public static func inpaint(_ image: inout PixelImage, mask: Mask, options: FastInpaintOptions = FastInpaintOptions(),
                               context: OperationContext = OperationContext()) throws(InpaintError) {
        guard mask.width == image.width, mask.height == image.height else {
            throw .invalidArgument("mask is \(mask.width)x\(mask.height), image is \(image.width)x\(image.height)")
        }
        // Far-apart parts of the mask (e.g. two corner overlays) are marched separately, so the
        // working arrays cover only their own bounding boxes.
        let regions = regionsOf(mask, margin: max(1, options.radius) + 2)
        if regions.isEmpty { context.report(1); return }
        let total = Double(regions.reduce(0) { $0 + $1.count })
        var done = 0.0
        for r in regions {
            let sub = context.sub(done / total, (done + Double(r.count)) / total)
            try inpaintRegion(&image, mask: mask, bb: r.box, options: options, context: sub)
            done += Double(r.count)
        }
        context.report(1)
    }

    /// Bounding boxes of groups of mask pixels; groups are separated by more than `margin`
    /// pixels, so each box (expanded by `margin`) holds mask pixels of its own group only.
    static func regionsOf(_ mask: Mask, margin: Int) -> [(box: (minX: Int, minY: Int, maxX: Int, maxY: Int), count: Int)] {
        let W = mask.width, H = mask.height
        let tile = max(16, 2 * margin + 2)
        let tw = (W + tile - 1) / tile, th = (H + tile - 1) / tile
        var occ = Mask(width: tw, height: th)
        var boxes = [(Int, Int, Int, Int)](repeating: (Int.max, Int.max, -1, -1), count: tw * th)
        var counts = [Int](repeating: 0, count: tw * th)
        mask.values.withUnsafeBufferPointer { m in
            for y in 0..<H {
                let row = y * W
                for x in 0..<W where m[row + x] != 0 {
                    let t = (y / tile) * tw + x / tile
                    occ.values[t] = 1
                    counts[t] += 1
                    let b = boxes[t]
                    boxes[t] = (min(b.0, x), min(b.1, y), max(b.2, x), max(b.3, y))
                }
            }
        }
        if occ.isEmpty { return [] }
        // Tiles within one tile of each other belong together (gap < 2 tiles = merged).
        let comps = ComponentLabels(occ.dilated(radius: 1))
        var out = [(box: (minX: Int, minY: Int, maxX: Int, maxY: Int), count: Int)](
            repeating: ((Int.max, Int.max, -1, -1), 0), count: comps.count)
        for t in 0..<(tw * th) where occ.values[t] != 0 {
            let l = Int(comps.labels[t])
            let b = boxes[t], o = out[l].box
            out[l] = ((min(o.minX, b.0), min(o.minY, b.1), max(o.maxX, b.2), max(o.maxY, b.3)), out[l].count + counts[t])
        }
        return out.filter { $0.count > 0 }
    }

    /// Marches one region (`bb` = bounding box of its mask pixels).
    static func inpaintRegion(_ image: inout PixelImage, mask: Mask, bb: (minX: Int, minY: Int, maxX: Int, maxY: Int),
                              options: FastInpaintOptions, context: OperationContext) throws(InpaintError) {
        let R = max(1, options.radius)
        let W = image.width, H = image.height, C = image.channels
        // Region of interest (image coords), padded grid around it.
        let x0 = max(0, bb.minX - R - 2), y0 = max(0, bb.minY - R - 2)
        let x1 = min(W - 1, bb.maxX + R + 2), y1 = min(H - 1, bb.maxY + R + 2)
        let P = R + 1
        let gw = x1 - x0 + 1 + 2 * P, gh = y1 - y0 + 1 + 2 * P
        let gcount = gw * gh

        var flags = [UInt8](repeating: outside, count: gcount)
        var T = [Float](repeating: big, count: gcount)
        var bandList: [Int32] = []
        var insideCount = 0
        mask.values.withUnsafeBufferPointer { m in
            flags.withUnsafeMutableBufferPointer { f in
                for y in y0...y1 {
                    let g0 = (y - y0 + P) * gw + P - x0
                    let mrow = y * W
                    for x in x0...x1 {
                        if m[mrow + x] != 0 { f[g0 + x] = inside; insideCount += 1 } else { f[g0 + x] = far }
                    }
                }
                // Band: known pixels 4-adjacent to the mask.
                for y in y0...y1 {
                    let g0 = (y - y0 + P) * gw + P - x0
                    for x in x0...x1 {
                        let g = g0 + x
                        if f[g] == far && (f[g - 1] == inside || f[g + 1] == inside || f[g - gw] == inside || f[g + gw] == inside) {
                            f[g] = band
                            bandList.append(Int32(g))
                        }
                    }
                }
            }
        }
        var heap = MinHeap(capacity: max(1024, bandList.count * 2))

        // Neighbourhood offsets within radius R.
        var gOff: [Int] = [], iOff: [Int] = [], rx: [Float] = [], ry: [Float] = [], dstW: [Float] = []
        for dy in -R...R {
            for dx in -R...R where (dx != 0 || dy != 0) && dx * dx + dy * dy <= R * R {
                gOff.append(dy * gw + dx)
                iOff.append((dy * W + dx) * C)
                rx.append(Float(-dx)); ry.append(Float(-dy))
                let l2 = Float(dx * dx + dy * dy)
                dstW.append(1 / (l2 * l2.squareRoot()))
            }
        }
        let nOff = gOff.count
        let gradientTerm = options.gradientTerm
        // Flat, bounds-check-free copies of the tables for the hot loop.
        let tab = UnsafeMutablePointer<Int>.allocate(capacity: 2 * nOff + 4)
        let ftab = UnsafeMutablePointer<Float>.allocate(capacity: 3 * nOff)
        let accP = UnsafeMutablePointer<Float>.allocate(capacity: C)
        defer { tab.deallocate(); ftab.deallocate(); accP.deallocate() }
        for k in 0..<nOff {
            tab[k] = gOff[k]; tab[nOff + k] = iOff[k]
            ftab[k] = rx[k]; ftab[nOff + k] = ry[k]; ftab[2 * nOff + k] = dstW[k]
        }
        let nb4 = tab + 2 * nOff
        nb4[0] = -gw; nb4[1] = -1; nb4[2] = 1; nb4[3] = gw
        let gOffP = tab, iOffP = tab + nOff
        let rxP = ftab, ryP = ftab + nOff, dstP = ftab + 2 * nOff

        try flags.withUnsafeMutableBufferPointer { (f: inout UnsafeMutableBufferPointer<UInt8>) throws(InpaintError) in
            try T.withUnsafeMutableBufferPointer { (t: inout UnsafeMutableBufferPointer<Float>) throws(InpaintError) in
                @inline(__always) func solve(_ a: Int, _ b: Int) -> Float {
                    let a11 = t[a], a22 = t[b]
                    let va = a11 < big, vb = a22 < big
                    if va && vb {
                        let d = a11 - a22
                        if abs(d) >= 1 { return 1 + min(a11, a22) }
                        return (a11 + a22 + (2 - d * d).squareRoot()) * 0.5
                    }
                    if va { return 1 + a11 }
                    if vb { return 1 + a22 }
                    return big
                }
                @inline(__always) func eikonal(_ g: Int) -> Float {
                    min(min(solve(g - gw, g - 1), solve(g + gw, g - 1)), min(solve(g - gw, g + 1), solve(g + gw, g + 1)))
                }

                // Phase 1: distances outside the mask (within R + 2), stored negated.
                for g in bandList { t[Int(g)] = 0; heap.push(0, g) }
                let limit = Float(R + 2)
                while !heap.isEmpty {
                    let (key, gi) = heap.pop()
                    if key > limit { break }
                    let g = Int(gi)
                    if f[g] == outerBand { f[g] = known }
                    for d in 0..<4 {
                        let n = g + nb4[d]
                        if f[n] != far { continue }
                        let d = eikonal(n)
                        t[n] = d
                        f[n] = outerBand
                        heap.push(d, Int32(n))
                    }
                }
                while !heap.isEmpty { _ = heap.pop() }
                for g in 0..<gcount {
                    let fl = f[g]
                    if fl == far || fl == outerBand { f[g] = known }
                    if f[g] == known { t[g] = t[g] < big ? -t[g] : -big }
                }

                // Phase 2: march inwards, inpainting each pixel when it is first reached.
                try image.pixels.withUnsafeMutableBufferPointer { (img: inout UnsafeMutableBufferPointer<UInt8>) throws(InpaintError) in
                    for g in bandList { heap.push(0, g) }
                    var done = 0
                    let progressStep = max(4096, insideCount / 100)
                    let acc = accP
                    while !heap.isEmpty {
                        let (_, gi) = heap.pop()
                        let g = Int(gi)
                        f[g] = known
                        for d in 0..<4 {
                            let n = g + nb4[d]
                            if f[n] != inside { continue }
                            let tn = eikonal(n)
                            t[n] = tn
                            // grad T at n from non-inside neighbours.
                            let fr = f[n + 1] != inside, fl = f[n - 1] != inside
                            let fd = f[n + gw] != inside, fu = f[n - gw] != inside
                            var gx: Float = 0, gy: Float = 0
                            if fr && f[n + 1] != outside {
                                gx = (fl && f[n - 1] != outside) ? (t[n + 1] - t[n - 1]) * 0.5 : t[n + 1] - tn
                            } else if fl && f[n - 1] != outside { gx = tn - t[n - 1] }
                            if fd && f[n + gw] != outside {
                                gy = (fu && f[n - gw] != outside) ? (t[n + gw] - t[n - gw]) * 0.5 : t[n + gw] - tn
                            } else if fu && f[n - gw] != outside { gy = tn - t[n - gw] }
                            // Image index of n.
                            let ny = n / gw, nx = n - ny * gw
                            let ii = ((ny - P + y0) * W + (nx - P + x0)) * C
                            for c in 0..<C { acc[c] = 0 }
                            var s: Float = 0
                            for k in 0..<nOff {
                                let q = n + gOffP[k]
                                if f[q] > band { continue }
                                let rxk = rxP[k], ryk = ryP[k]
                                var dir = rxk * gx + ryk * gy
                                if abs(dir) <= 0.01 { dir = 1e-6 }
                                let lev = 1 / (1 + abs(t[q] - tn))
                                let w = abs(dstP[k] * lev * dir)
                                let qi = ii + iOffP[k]
                                if gradientTerm {
                                    for c in 0..<C {
                                        let v = Float(img[qi + c])
                                        var gxI: Float = 0, gyI: Float = 0
                                        if f[q + 1] <= band && f[q - 1] <= band {
                                            gxI = (Float(img[qi + C + c]) - Float(img[qi - C + c])) * 0.5
                                        }
                                        if f[q + gw] <= band && f[q - gw] <= band {
                                            gyI = (Float(img[qi + W * C + c]) - Float(img[qi - W * C + c])) * 0.5
                                        }
                                        acc[c] += w * (v + gxI * rxk + gyI * ryk)
                                    }
                                } else {
                                    for c in 0..<C { acc[c] += w * Float(img[qi + c]) }
                                }
                                s += w
                            }
                            if s > 0 {
                                for c in 0..<C {
                                    let v = acc[c] / s + 0.5
                                    img[ii + c] = v <= 0 ? 0 : (v >= 255 ? 255 : UInt8(v))
                                }
                            }
                            f[n] = band
                            heap.push(tn, Int32(n))
                            done += 1
                            if done % progressStep == 0 {
                                try context.check()
                                context.report(Double(done) / Double(max(1, insideCount)))
                            }
                        }
                    }
                }
            }
        }
        if options.relaxationSweeps > 0 {
            try HarmonicRelaxation.relax(&image, mask: mask, box: (x0, y0, x1, y1), sweeps: options.relaxationSweeps, omega: options.relaxationOmega, context: context)
        }
    }
}
