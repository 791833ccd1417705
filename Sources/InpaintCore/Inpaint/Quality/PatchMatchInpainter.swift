import Dispatch

/// Multi-scale exemplar inpainting: PatchMatch nearest-neighbour search (Barnes et al. 2009)
/// inside Wexler et al. (2007) style expectation-maximisation with coarse-to-fine voting.
///
/// The coarsest level starts from a FAST fill; every level alternates PatchMatch iterations
/// (propagation + random search, parallel over row bands with race-free snapshots) and a
/// weighted voting step that rebuilds each hole pixel from the patches that cover it.
enum PatchMatchInpainter {
    /// Tuning knobs.
    struct Parameters: Sendable {
        var patchRadius = 3
        var maxLevels = 5
        var emIterationsCoarse = 6
        var emIterationsFine = 2
        var pmIterations = 2
        var seed: UInt64 = 1
        var workers = 8
    }

    /// One pyramid level.
    struct Level {
        var image: FloatImage
        var hole: [UInt8]
    }

    /// Fills `hole` pixels of `initial` (a FAST-filled crop, known pixels exact). Returns the crop.
    static func inpaint(initial: FloatImage, hole: [UInt8], params: Parameters,
                        context: OperationContext) throws(InpaintError) -> FloatImage {
        let maxDist = maxHoleDistance(hole: hole, width: initial.width, height: initial.height)
        // Enough levels that the hole is a few pixels thick at the coarsest one.
        var levels = 1
        var d = Float(maxDist)
        while d > 6 && levels < params.maxLevels && min(initial.width, initial.height) >> levels >= 24 {
            d /= 2; levels += 1
        }
        var pyramid: [Level] = [Level(image: initial, hole: hole)]
        for _ in 1..<max(1, levels) {
            let prev = pyramid.last!
            let w2 = (prev.image.width + 1) / 2, h2 = (prev.image.height + 1) / 2
            var h = [UInt8](repeating: 0, count: w2 * h2)
            for y in 0..<prev.image.height {
                for x in 0..<prev.image.width where prev.hole[y * prev.image.width + x] != 0 {
                    h[(y / 2) * w2 + x / 2] = 1
                }
            }
            pyramid.append(Level(image: prev.image.downsampled(hole: prev.hole), hole: h))
        }

        var estimate = pyramid.last!.image
        var nnfPrev: (nnf: [Int32], width: Int, holeIndex: [Int32])? = nil
        let totalWork = pyramid.indices.reduce(0.0) { $0 + Double(pyramid[$1].hole.count) / Double(1 << (2 * $1)) }
        var doneWork = 0.0
        for li in stride(from: pyramid.count - 1, through: 0, by: -1) {
            let level = pyramid[li]
            let W = level.image.width, H = level.image.height, C = level.image.channels
            // Current estimate at this level: known pixels from the pyramid, holes from coarser result.
            var cur = level.image
            if li != pyramid.count - 1 {
                for y in 0..<H {
                    for x in 0..<W where level.hole[y * W + x] != 0 {
                        let cx = min(estimate.width - 1, x / 2), cy = min(estimate.height - 1, y / 2)
                        for c in 0..<C { cur.data[(y * W + x) * C + c] = estimate.data[(cy * estimate.width + cx) * C + c] }
                    }
                }
            }
            let isCoarsest = li == pyramid.count - 1
            let em = isCoarsest ? params.emIterationsCoarse : (li == 0 ? params.emIterationsFine : params.emIterationsFine + 1)
            let sub = context.sub(doneWork / totalWork, (doneWork + Double(level.hole.count) / Double(1 << (2 * li))) / totalWork)
            let result = try solveLevel(image: cur, hole: level.hole, coarse: nnfPrev, emIterations: em,
                                        params: params, levelIndex: li, context: sub)
            estimate = result.image
            nnfPrev = (result.nnf, W, result.holeIndex)
            doneWork += Double(level.hole.count) / Double(1 << (2 * li))
        }
        return estimate
    }

    /// Largest city-block distance from a hole pixel to the nearest known pixel (two-pass).
    static func maxHoleDistance(hole: [UInt8], width W: Int, height H: Int) -> Int {
        var d = [Int32](repeating: 0, count: W * H)
        let inf = Int32(W + H)
        for y in 0..<H {
            for x in 0..<W {
                let i = y * W + x
                if hole[i] == 0 { d[i] = 0; continue }
                var v = inf
                if x > 0 { v = min(v, d[i - 1] + 1) }
                if y > 0 { v = min(v, d[i - W] + 1) }
                d[i] = v
            }
        }
        var best: Int32 = 0
        for y in stride(from: H - 1, through: 0, by: -1) {
            for x in stride(from: W - 1, through: 0, by: -1) {
                let i = y * W + x
                if hole[i] == 0 { continue }
                var v = d[i]
                if x < W - 1 { v = min(v, d[i + 1] + 1) }
                if y < H - 1 { v = min(v, d[i + W] + 1) }
                d[i] = v
                best = max(best, v)
            }
        }
        return Int(best)
    }

    struct LevelResult {
        var image: FloatImage
        var nnf: [Int32]
        var holeIndex: [Int32]
    }

    /// EM at one level: PatchMatch + voting, `emIterations` times.
    static func solveLevel(image: FloatImage, hole: [UInt8], coarse: (nnf: [Int32], width: Int, holeIndex: [Int32])?,
                           emIterations: Int, params: Parameters, levelIndex: Int,
                           context: OperationContext) throws(InpaintError) -> LevelResult {
        let W = image.width, H = image.height, C = image.channels
        let r = params.patchRadius
        // Hole list (row-major) and index map.
        var holeList: [Int32] = []
        var holeIndex = [Int32](repeating: -1, count: W * H)
        for i in 0..<(W * H) where hole[i] != 0 {
            holeIndex[i] = Int32(holeList.count)
            holeList.append(Int32(i))
        }
        let n = holeList.count
        if n == 0 { return LevelResult(image: image, nnf: [], holeIndex: holeIndex) }
        // Valid source centres: patch fully inside and free of hole pixels.
        var blocked = [UInt8](repeating: 0, count: W * H)
        do {
            // Horizontal then vertical box dilation of the hole by r.
            var rowD = [UInt8](repeating: 0, count: W * H)
            for y in 0..<H {
                var last = -1_000_000
                for x in 0..<W { if hole[y * W + x] != 0 { last = x }; if x - last <= r { rowD[y * W + x] = 1 } }
                last = 1_000_000
                for x in stride(from: W - 1, through: 0, by: -1) { if hole[y * W + x] != 0 { last = x }; if last - x <= r { rowD[y * W + x] = 1 } }
            }
            for x in 0..<W {
                var last = -1_000_000
                for y in 0..<H { if rowD[y * W + x] != 0 { last = y }; if y - last <= r { blocked[y * W + x] = 1 } }
                last = 1_000_000
                for y in stride(from: H - 1, through: 0, by: -1) { if rowD[y * W + x] != 0 { last = y }; if last - y <= r { blocked[y * W + x] = 1 } }
            }
        }
        var validList: [Int32] = []
        var valid = [UInt8](repeating: 0, count: W * H)
        if H > 2 * r && W > 2 * r {
            for y in r..<(H - r) {
                for x in r..<(W - r) where blocked[y * W + x] == 0 {
                    valid[y * W + x] = 1
                    validList.append(Int32(y * W + x))
                }
            }
        }
        if validList.isEmpty { return LevelResult(image: image, nnf: [], holeIndex: holeIndex) }

        var cur = image
        var nnf = [Int32](repeating: 0, count: n)
        var nnfD = [Float](repeating: .infinity, count: n)
        // Initialise NNF: upsampled from coarser level where possible, else random.
        var rng = SplitMix64(seed: params.seed &+ UInt64(levelIndex) &* 0x51_7CC1_B727_220A)
        for k in 0..<n {
            let p = Int(holeList[k]), x = p % W, y = p / W
            var cand = -1
            if let c = coarse, !c.nnf.isEmpty {
                let cw = c.width
                let ci = (y / 2) * cw + min(cw - 1, x / 2)
                if ci < c.holeIndex.count, c.holeIndex[ci] >= 0 {
                    let s = Int(c.nnf[Int(c.holeIndex[ci])])
                    let sx = 2 * (s % cw) + (x & 1), sy = 2 * (s / cw) + (y & 1)
                    if sx < W && sy < H && valid[sy * W + sx] != 0 { cand = sy * W + sx }
                }
            }
            if cand < 0 { cand = Int(validList[rng.below(validList.count)]) }
            nnf[k] = Int32(cand)
        }

        let workers = max(1, params.workers)
        let chunk = (n + workers - 1) / workers
        for emIter in 0..<emIterations {
            try context.check()
            // Distances for the current estimate.
            cur.data.withUnsafeBufferPointer { img in
                for k in 0..<n {
                    nnfD[k] = patchDistance(img.baseAddress!, W: W, H: H, C: C, r: r, t: Int(holeList[k]), s: Int(nnf[k]), bound: .infinity)
                }
            }
            for pmIter in 0..<params.pmIterations {
                let snapshot = nnf
                let forward = pmIter % 2 == 0
                let seedBase = params.seed &+ UInt64(levelIndex * 1000 + emIter * 10 + pmIter) &* 0x9E37_79B9
                cur.data.withUnsafeBufferPointer { imgBuf in
                    nnf.withUnsafeMutableBufferPointer { nnfBuf in
                        nnfD.withUnsafeMutableBufferPointer { dBuf in
                            let img = SharedPointer(UnsafeMutablePointer(mutating: imgBuf.baseAddress!))
                            let nn = SharedPointer(nnfBuf.baseAddress!)
                            let dd = SharedPointer(dBuf.baseAddress!)
                            snapshot.withUnsafeBufferPointer { snapBuf in
                                let snap = SharedPointer(UnsafeMutablePointer(mutating: snapBuf.baseAddress!))
                                holeList.withUnsafeBufferPointer { hlBuf in
                                    let hl = SharedPointer(UnsafeMutablePointer(mutating: hlBuf.baseAddress!))
                                    holeIndex.withUnsafeBufferPointer { hiBuf in
                                        let hi = SharedPointer(UnsafeMutablePointer(mutating: hiBuf.baseAddress!))
                                        valid.withUnsafeBufferPointer { vBuf in
                                            let va = SharedPointer(UnsafeMutablePointer(mutating: vBuf.baseAddress!))
                                            DispatchQueue.concurrentPerform(iterations: workers) { wi in
                                                let a = wi * chunk, b = min(n, a + chunk)
                                                if a >= b { return }
                                                var g = SplitMix64(seed: seedBase &+ UInt64(wi) &* 0xD1B5_4A32_D192_ED03)
                                                pmPass(img: img.p, W: W, H: H, C: C, r: r, a: a, b: b, forward: forward,
                                                       nnf: nn.p, nnfD: dd.p, snapshot: snap.p, holeList: hl.p, holeIndex: hi.p,
                                                       valid: va.p, rng: &g)
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            // Voting.
            cur = vote(image: cur, hole: hole, holeList: holeList, holeIndex: holeIndex, nnf: nnf, nnfD: nnfD,
                       r: r, workers: workers)
            context.report(Double(emIter + 1) / Double(emIterations))
        }
        return LevelResult(image: cur, nnf: nnf, holeIndex: holeIndex)
    }

    /// Sum of squared differences between the patch centred at target `t` and source `s`
    /// (target pixels outside the image are skipped); stops early once above `bound`.
    @inline(__always)
    static func patchDistance(_ img: UnsafePointer<Float>, W: Int, H: Int, C: Int, r: Int, t: Int, s: Int, bound: Float) -> Float {
        let tx = t % W, ty = t / W, sx = s % W, sy = s / W
        var d: Float = 0
        let dx0 = max(-r, -tx), dx1 = min(r, W - 1 - tx)
        for dy in -r...r {
            let y = ty + dy
            if y < 0 || y >= H { continue }
            var pt = img + ((y * W + tx + dx0) * C)
            var ps = img + (((sy + dy) * W + sx + dx0) * C)
            let cnt = (dx1 - dx0 + 1) * C
            var k = 0
            while k < cnt {
                let e = pt[k] - ps[k]
                d += e * e
                k += 1
            }
            pt += 0; ps += 0
            if d > bound { return d }
        }
        return d
    }

    static func pmPass(img: UnsafeMutablePointer<Float>, W: Int, H: Int, C: Int, r: Int, a: Int, b: Int, forward: Bool,
                       nnf: UnsafeMutablePointer<Int32>, nnfD: UnsafeMutablePointer<Float>, snapshot: UnsafeMutablePointer<Int32>,
                       holeList: UnsafeMutablePointer<Int32>, holeIndex: UnsafeMutablePointer<Int32>,
                       valid: UnsafeMutablePointer<UInt8>, rng: inout SplitMix64) {
        let step = forward ? 1 : -1
        var k = forward ? a : b - 1
        let end = forward ? b : a - 1
        let maxR = max(W, H)
        while k != end {
            let p = Int(holeList[k])
            let x = p % W, y = p / W
            var best = Int(nnf[k])
            var bestD = nnfD[k]
            // Propagation from the already-visited neighbours (x - step, y) and (x, y - step).
            for nbr in 0..<2 {
                let nx = nbr == 0 ? x - step : x, ny = nbr == 0 ? y : y - step
                if nx < 0 || nx >= W || ny < 0 || ny >= H { continue }
                let j = Int(holeIndex[ny * W + nx])
                if j < 0 { continue }
                let src = Int((j >= a && j < b) ? nnf[j] : snapshot[j])
                let cx = src % W + (x - nx), cy = src / W + (y - ny)
                if cx < 0 || cx >= W || cy < 0 || cy >= H { continue }
                let cand = cy * W + cx
                if cand == best || valid[cand] == 0 { continue }
                let dist = patchDistance(img, W: W, H: H, C: C, r: r, t: p, s: cand, bound: bestD)
                if dist < bestD { bestD = dist; best = cand }
            }
            // Random search in shrinking windows around the best match.
            var rad = maxR
            while rad >= 1 {
                let bx = best % W, by = best / W
                let cx = min(W - 1 - r, max(r, bx + rng.below(2 * rad + 1) - rad))
                let cy = min(H - 1 - r, max(r, by + rng.below(2 * rad + 1) - rad))
                let cand = cy * W + cx
                if cand != best && valid[cand] != 0 {
                    let dist = patchDistance(img, W: W, H: H, C: C, r: r, t: p, s: cand, bound: bestD)
                    if dist < bestD { bestD = dist; best = cand }
                }
                rad /= 2
            }
            nnf[k] = Int32(best)
            nnfD[k] = bestD
            k += step
        }
    }

    /// Rebuilds every hole pixel as the weighted mean of the source pixels that the patches
    /// covering it point to (weights decay with the patch distance).
    static func vote(image: FloatImage, hole: [UInt8], holeList: [Int32], holeIndex: [Int32], nnf: [Int32], nnfD: [Float],
                     r: Int, workers: Int) -> FloatImage {
        let W = image.width, H = image.height, C = image.channels
        let n = holeList.count
        // Robust scale: median patch distance.
        var sample = [Float]()
        let strideS = max(1, n / 2000)
        for k in Swift.stride(from: 0, to: n, by: strideS) { sample.append(nnfD[k]) }
        sample.sort()
        let sigma2 = max(1e-3, sample[sample.count / 2])
        var out = image
        let chunk = (n + workers - 1) / workers
        image.data.withUnsafeBufferPointer { srcBuf in
            out.data.withUnsafeMutableBufferPointer { outBuf in
                let src = SharedPointer(UnsafeMutablePointer(mutating: srcBuf.baseAddress!))
                let dst = SharedPointer(outBuf.baseAddress!)
                holeList.withUnsafeBufferPointer { hlB in
                    holeIndex.withUnsafeBufferPointer { hiB in
                        nnf.withUnsafeBufferPointer { nB in
                            nnfD.withUnsafeBufferPointer { dB in
                                let hl = SharedPointer(UnsafeMutablePointer(mutating: hlB.baseAddress!))
                                let hi = SharedPointer(UnsafeMutablePointer(mutating: hiB.baseAddress!))
                                let nn = SharedPointer(UnsafeMutablePointer(mutating: nB.baseAddress!))
                                let dd = SharedPointer(UnsafeMutablePointer(mutating: dB.baseAddress!))
                                DispatchQueue.concurrentPerform(iterations: workers) { wi in
                                    let a = wi * chunk, b = min(n, a + chunk)
                                    if a >= b { return }
                                    for k in a..<b {
                                        let p = Int(hl.p[k]), x = p % W, y = p / W
                                        var acc = SIMD4<Float>(repeating: 0)
                                        var wsum: Float = 0
                                        for oy in -r...r {
                                            let qy = y + oy
                                            if qy < 0 || qy >= H { continue }
                                            for ox in -r...r {
                                                let qx = x + ox
                                                if qx < 0 || qx >= W { continue }
                                                let j = Int(hi.p[qy * W + qx])
                                                if j < 0 { continue }
                                                let s = Int(nn.p[j])
                                                let sp = s - (oy * W + ox)
                                                let w = expApprox(-dd.p[j] / (2 * sigma2))
                                                var v = SIMD4<Float>(repeating: 0)
                                                for c in 0..<C { v[c] = src.p[sp * C + c] }
                                                acc += w * v
                                                wsum += w
                                            }
                                        }
                                        if wsum > 0 {
                                            for c in 0..<C { dst.p[p * C + c] = acc[c] / wsum }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return out
    }

    /// exp(x) for x <= 0, cheap and accurate enough for weights.
    @inline(__always)
    static func expApprox(_ x: Float) -> Float {
        if x < -30 { return 0 }
        var v = 1 + x / 256
        v *= v; v *= v; v *= v; v *= v; v *= v; v *= v; v *= v; v *= v
        return max(v, 0)
    }
}
