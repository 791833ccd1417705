import Dispatch
import Synchronization

/// Single-image overlay detection (heuristic, with a confidence score).
///
/// Cues:
/// - **Semi-transparent bright (or dark) text/logos** (`brightText`, `tiledText`): a grey opening
///   (closing) removes thin bright (dark) structures and estimates the background `B`; for a
///   blend towards white, `a_c = (J_c - B_c) / (255 - B_c)` must be the same in all three
///   channels and, over the whole mark, cluster at one opacity `a0`. Pixels near `a0` form the
///   core; spread over the frame means tiled text.
/// - **Opaque corner overlays** (`cornerOverlay`): perfectly flat colour boxes touching a corner
///   region, and white glyphs with a black outline (TV timestamps).
enum SingleImageDetector {
    struct Result {
        var mask: Mask?
        var confidence: Double
        var kind: OverlayKind
        var reason: String
    }

    static func detect(_ image: PixelImage, context: OperationContext) throws(InpaintError) -> Result {
        let img = image.channels == 3 ? image : image.toRGB()
        let W = img.width, H = img.height, P = W * H
        let planes: [[Float]] = (0..<3).map { c in
            var p = [Float](repeating: 0, count: P)
            for i in 0..<P { p[i] = Float(img.pixels[i * 3 + c]) }
            return p
        }
        let r0 = max(3, H / 96)
        var best: (mask: Mask, conf: Double, kind: OverlayKind)? = nil
        // Semi-transparent bright and dark marks, one polarity per core.
        let polarities = Mutex<[Bool: Swift.Result<(BlendCandidate?, [String]), InpaintError>]>([:])
        DispatchQueue.concurrentPerform(iterations: 2) { k in
            let bright = k == 0
            let outcome: Swift.Result<(BlendCandidate?, [String]), InpaintError>
            do throws(InpaintError) {
                outcome = .success(try blendedMark(img, planes: planes, bright: bright, radius: r0, context: context))
            } catch {
                outcome = .failure(error)
            }
            polarities.withLock { $0[bright] = outcome }
        }
        let (brightMark, brightReasons) = try polarities.withLock { $0[true]! }.get()
        let (darkMark, darkReasons) = try polarities.withLock { $0[false]! }.get()
        var reasons = brightReasons + darkReasons
        if let b = brightMark, let d = darkMark, b.confidence >= 0.5, d.confidence >= 0.5 {
            // Both a bright and a dark blend (e.g. white text with a dark shadow): union.
            best = (b.mask.union(d.mask), max(b.confidence, d.confidence), b.kind)
        } else {
            best = [brightMark, darkMark].compactMap { $0 }.max { $0.confidence < $1.confidence }.map { ($0.mask, $0.confidence, $0.kind) }
        }
        // Opaque corner overlays.
        if let corner = cornerOverlay(img, planes: planes) {
            if var b = best, b.conf >= 0.5 {
                b.mask = b.mask.union(corner.mask)
                b.conf = max(b.conf, corner.conf)
                best = b
            } else {
                best = (corner.mask, corner.conf, .cornerOverlay)
            }
        } else {
            reasons.append("no opaque corner overlay")
        }
        context.report(1)
        guard let b = best else {
            return Result(mask: nil, confidence: 0, kind: .brightText, reason: reasons.joined(separator: "; "))
        }
        return Result(mask: b.mask, confidence: b.conf, kind: b.kind, reason: reasons.joined(separator: "; "))
    }

    /// A detected semi-transparent mark of one polarity.
    struct BlendCandidate: Sendable {
        var mask: Mask
        var confidence: Double
        var kind: OverlayKind
    }

    /// The most confident semi-transparent mark blended towards white/light grey (`bright`) or black/dark grey,
    /// refined when confident, with the reasons the other candidates were dropped.
    static func blendedMark(_ img: PixelImage, planes: [[Float]], bright: Bool, radius r: Int,
                            context: OperationContext) throws(InpaintError) -> (BlendCandidate?, [String]) {
        let W = img.width, H = img.height, P = W * H
        var best: BlendCandidate? = nil
        var refinement: (core: Mask, a0: Float, target: Float, groupR: Int)? = nil
        var reasons: [String] = []
        // The background under thin bright (dark) structures: a grey opening (closing) per channel.
        let bg = (0..<3).map { c in
            bright ? MorphologyFilter.opening(planes[c], width: W, height: H, r: r)
                   : MorphologyFilter.closing(planes[c], width: W, height: H, r: r)
        }
        // Watermark colour candidates: white / light grey, black / dark grey. (A second, larger window was
        // tried for thick logo strokes: it lowered the mean IoU, so only one is used.)
        for target: Float in bright ? [255, 240] : [0, 30] {
            try context.check()
            var alpha = [Float](repeating: -1, count: P)
            var rawAlpha = [Float](repeating: 0, count: P)
            var hist = [Int](repeating: 0, count: 100)
            var candidates = 0
            for i in 0..<P {
                // Opacity per channel; channels already close to the target colour (e.g. the red of
                // an orange suit under white text) carry no information and are skipped.
                var mn = Float.infinity, mx = -Float.infinity, sum: Float = 0, n: Float = 0
                for c in 0..<3 {
                    let den = target - bg[c][i]
                    if abs(den) < 25 { continue }
                    let v = (planes[c][i] - bg[c][i]) / den
                    mn = min(mn, v); mx = max(mx, v); sum += v; n += 1
                }
                if n < 3 { continue }
                let m = sum / n
                rawAlpha[i] = m
                if mn > 0.08 && mx - mn < 0.06 + 0.15 * mn {
                    alpha[i] = m
                    hist[min(99, Int(m * 100))] += 1
                    candidates += 1
                }
            }
            context.report(bright ? 0.3 : 0.6)
            // Keep "flat-alpha" pixels: a true blend has the same opacity across a glyph's interior,
            // natural texture (fur, foliage) does not.
            var flatAlpha = [Float](repeating: -1, count: P)
            hist = [Int](repeating: 0, count: 100)
            candidates = 0
            for y in 1..<(H - 1) {
                for x in 1..<(W - 1) {
                    let i = y * W + x
                    let a = alpha[i]
                    if a <= 0 { continue }
                    var similar = 0
                    for j in [i - 1, i + 1, i - W, i + W] where alpha[j] > 0 && abs(alpha[j] - a) < 0.03 + 0.05 * a { similar += 1 }
                    if similar >= 3 {
                        flatAlpha[i] = a
                        hist[min(99, Int(a * 100))] += 1
                        candidates += 1
                    }
                }
            }
            if candidates < 50 { reasons.append("\(bright ? "bright" : "dark") \(Int(target)): no flat blend"); continue }
            // Opacity mode (ignore the weak-edge bins below 0.15).
            var a0b = 22, a0v = -1
            for b in 22..<98 {
                let v = hist[b - 1] + 2 * hist[b] + hist[b + 1]
                if v > a0v { a0v = v; a0b = b }
            }
            let a0 = Float(a0b) / 100 + 0.005
            // Peakiness: mass near a0 vs the same width just around it (natural textures are flat).
            let tolBins = max(2, Int((0.03 + 0.08 * a0) * 100))
            var inPeak = 0, around = 0
            for b in 0..<100 {
                let d = abs(b - a0b)
                if d <= tolBins { inPeak += hist[b] } else if d <= 3 * tolBins { around += hist[b] }
            }
            let peakiness = Double(inPeak) / Double(max(1, around / 2))
            var core = Mask(width: W, height: H)
            var coreCount = 0
            for i in 0..<P where flatAlpha[i] > 0 && abs(flatAlpha[i] - a0) < 0.04 + 0.1 * a0 {
                core.values[i] = 1; coreCount += 1
            }
            // Drop specks; keep components of a few pixels and more.
            let comps = ComponentLabels(core)
            var kept = Mask(width: W, height: H)
            var keptCount = 0, keptComps = 0
            var xs = [Int](), ys = [Int]()
            for ci in 0..<comps.count where comps.sizes[ci] >= max(6, P / 200_000) {
                let b = comps.boxes[ci]
                // Glyph-like: not a huge blob.
                if (b.2 - b.0) > W / 3 || (b.3 - b.1) > H / 3 { continue }
                keptComps += 1
                xs.append((b.0 + b.2) / 2); ys.append((b.1 + b.3) / 2)
                for y in b.1...b.3 { for x in b.0...b.2 where comps.labels[y * W + x] == Int32(ci) { kept.values[y * W + x] = 1; keptCount += 1 } }
            }
            if keptComps < 3 { reasons.append("\(bright ? "bright" : "dark") \(Int(target)): too few glyph components"); continue }
            // Group into clusters (text lines / logos); keep clusters with enough glyphs.
            let groupR = max(4, H / 60)
            let grouped = kept.dilated(radius: groupR)
            let clusters = ComponentLabels(grouped)
            var clusterCount = [Int](repeating: 0, count: clusters.count)
            for ci in 0..<comps.count where comps.sizes[ci] >= max(6, P / 200_000) {
                let b = comps.boxes[ci]
                let l = clusters.labels[((b.1 + b.3) / 2) * W + (b.0 + b.2) / 2]
                if l >= 0 { clusterCount[Int(l)] += 1 }
            }
            var final = Mask(width: W, height: H)
            var finalCount = 0, clustersKept = 0
            for i in 0..<P where kept.values[i] != 0 {
                let l = Int(clusters.labels[i])
                if l >= 0 && clusterCount[l] >= 4 { final.values[i] = 1; finalCount += 1 }
            }
            for cc in clusterCount where cc >= 4 { clustersKept += 1 }
            if finalCount == 0 { reasons.append("\(bright ? "bright" : "dark") \(Int(target)): no text-like cluster"); continue }
            // Include antialiased glyph edges: candidate pixels next to the core, then the 2 px margin.
            // Grow twice by 2 px into pixels that still look blended (raw opacity above a fraction of a0),
            // close small gaps, fill small holes, then add the usual 2 px safety margin.
            var grown = final
            for _ in 0..<2 {
                let d = grown.dilated(radius: 2)
                for i in 0..<P where d.values[i] != 0 && grown.values[i] == 0 && rawAlpha[i] > 0.25 * a0 { grown.values[i] = 1 }
            }
            grown = grown.dilated(radius: 2).eroded(radius: 2)
            let mask = MaskOps.fillHoles(grown, maxHole: max(16, P / 20_000)).dilated(radius: 2)
            // Confidence: how strongly the candidates agree on one opacity, and how much text there is.
            let agree = Double(coreCount) / Double(max(1, candidates))
            let amount = min(1, Double(finalCount) / (Double(P) * 0.002))
            // A real blend concentrates the opacities in a sharp peak (peakiness >= ~2; natural
            // images stay below ~0.9). Near-opaque "peaks" come from saturated highlights: ignored
            // here (opaque overlays are handled by the corner cue).
            _ = agree
            let conf = a0 >= 0.8 ? 0 : min(1, 0.5 * peakiness / 1.8) * (0.7 + 0.3 * amount)
            debugLog("bright=\(bright) a0=\(a0) peak=\(peakiness) agree=\(agree) amount=\(amount) comps=\(keptComps) clusters=\(clustersKept) final=\(finalCount)")
            let spread = Set(ys.map { $0 * 4 / H }).count >= 3 && clustersKept >= 4
            let kind: OverlayKind = spread ? .tiledText : .brightText
            if conf > (best?.confidence ?? -1) {
                best = BlendCandidate(mask: mask, confidence: conf, kind: kind)
                refinement = (final, a0, target, groupR)
            }
        }
        // The winner, if confident, gets the parts the opening missed.
        if let winner = best, winner.confidence >= 0.5, let r = refinement {
            best?.mask = refine(img, core: r.core, mask: winner.mask, a0: r.a0, target: r.target, groupR: r.groupR)
        }
        return (best, reasons)
    }

    /// Recovers the parts of a detected semi-transparent mark that the opening missed (filled
    /// shapes wider than the window, e.g. a logo's play triangle): near the detection, a FAST fill
    /// stands in for the clean image and pixels whose blend opacity towards `target` is close to
    /// `a0` (and whose colour change points towards `target`) are added.
    static func refine(_ img: PixelImage, core: Mask, mask: Mask, a0: Float, target: Float, groupR: Int) -> Mask {
        let W = img.width, H = img.height, P = W * H
        let region = core.dilated(radius: groupR)
        guard let fill = try? FastInpainter.inpaint(img, mask: region) else { return mask }
        var add = Mask(width: W, height: H)
        for i in 0..<P where region.values[i] != 0 && mask.values[i] == 0 {
            var num: Float = 0, den: Float = 1e-3, jd2: Float = 0
            var d = SIMD3<Float>(), wd = SIMD3<Float>()
            for c in 0..<3 {
                d[c] = Float(img.pixels[i * 3 + c]) - Float(fill.pixels[i * 3 + c])
                wd[c] = target - Float(fill.pixels[i * 3 + c])
                num += d[c] * wd[c]; den += wd[c] * wd[c]; jd2 += d[c] * d[c]
            }
            let a = num / den
            guard a >= 0.6 * a0 && a <= 1.5 * a0 else { continue }
            let r = d - a * wd
            if (r * r).sum() <= 0.15 * jd2 { add.values[i] = 1 }
        }
        // Keep only added pixels connected to the existing mask, in blobs of some size.
        let comps = ComponentLabels(add)
        var out = mask
        let minBlob = max(30, P / 50_000)
        for ci in 0..<comps.count where comps.sizes[ci] >= minBlob {
            let b = comps.boxes[ci]
            var touches = false
            for y in b.1...b.3 where !touches {
                for x in b.0...b.2 where comps.labels[y * W + x] == Int32(ci) {
                    let i = y * W + x
                    if (x > 0 && mask.values[i - 1] != 0) || (x < W - 1 && mask.values[i + 1] != 0)
                        || (y > 0 && mask.values[i - W] != 0) || (y < H - 1 && mask.values[i + W] != 0) { touches = true; break }
                }
            }
            if !touches { continue }
            for y in b.1...b.3 { for x in b.0...b.2 where comps.labels[y * W + x] == Int32(ci) { out.values[y * W + x] = 1 } }
        }
        return MaskOps.fillHoles(out, maxHole: max(16, P / 20_000)).dilated(radius: 1)
    }

    /// Flat colour boxes and outlined white text inside the corner regions.
    static func cornerOverlay(_ img: PixelImage, planes: [[Float]]) -> (mask: Mask, conf: Double)? {
        let W = img.width, H = img.height, P = W * H
        let cw = W * 3 / 10, ch = H / 4
        @inline(__always) func inCorner(_ x: Int, _ y: Int) -> Bool {
            (x < cw || x >= W - cw) && (y < ch || y >= H - ch)
        }
        // (a) Flat pixels: all channels constant over the 3x3 neighbourhood.
        var flat = Mask(width: W, height: H)
        for y in 1..<(H - 1) {
            for x in 1..<(W - 1) where inCorner(x, y) {
                let i = y * W + x
                var isFlat = true
                for c in 0..<3 where isFlat {
                    let v = img.pixels[i * 3 + c]
                    for dy in -1...1 where isFlat {
                        for dx in -1...1 where img.pixels[(i + dy * W + dx) * 3 + c] != v { isFlat = false; break }
                    }
                }
                if isFlat { flat.values[i] = 1 }
            }
        }
        var out = Mask(width: W, height: H)
        var found = 0
        let flatComps = ComponentLabels(flat)
        for ci in 0..<flatComps.count where flatComps.sizes[ci] >= max(200, P / 5000) {
            let b = flatComps.boxes[ci]
            let area = (b.2 - b.0 + 1) * (b.3 - b.1 + 1)
            if Double(flatComps.sizes[ci]) < 0.45 * Double(area) || area > P / 20 { continue }
            // A channel bug sits close to the frame edge and carries white lettering.
            let nearEdge = min(b.0, W - 1 - b.2) < W / 12 && min(b.1, H - 1 - b.3) < H / 8
                && b.0 > 1 && b.1 > 1 && b.2 < W - 2 && b.3 < H - 2  // inset, not a flat image area at the border
            var whiteInside = 0
            for y in b.1...b.3 {
                for x in b.0...b.2 {
                    let i = (y * W + x) * 3
                    if img.pixels[i] > 235 && img.pixels[i + 1] > 235 && img.pixels[i + 2] > 235 { whiteInside += 1 }
                }
            }
            if !nearEdge || whiteInside < max(20, area / 50) { continue }
            // Box region (flat part + everything inside its bounding box: the letters).
            for y in max(0, b.1 - 2)...min(H - 1, b.3 + 2) { for x in max(0, b.0 - 2)...min(W - 1, b.2 + 2) { out.values[y * W + x] = 1 } }
            found += 1
        }
        // (b) White glyphs with a black outline.
        var white = Mask(width: W, height: H), black = Mask(width: W, height: H)
        for y in 0..<H {
            for x in 0..<W where inCorner(x, y) {
                let i = y * W + x
                let r = img.pixels[i * 3], g = img.pixels[i * 3 + 1], b = img.pixels[i * 3 + 2]
                if r > 235 && g > 235 && b > 235 { white.values[i] = 1 }
                if r < 25 && g < 25 && b < 25 { black.values[i] = 1 }
            }
        }
        let nearBlack = black.dilated(radius: max(2, H / 300))
        var outlined = Mask(width: W, height: H)
        var outlinedCount = 0
        for i in 0..<P where white.values[i] != 0 && nearBlack.values[i] != 0 { outlined.values[i] = 1; outlinedCount += 1 }
        if outlinedCount >= max(40, P / 20_000) {
            // Glyphs: white components whose border is mostly black (outlined lettering).
            let whiteComps = ComponentLabels(white)
            var glyphs = Mask(width: W, height: H)
            var glyphCount = 0
            for ci in 0..<whiteComps.count where whiteComps.sizes[ci] >= 6 && whiteComps.sizes[ci] < P / 500 {
                let b = whiteComps.boxes[ci]
                var border = 0, outlinedBorder = 0
                for y in b.1...b.3 {
                    for x in b.0...b.2 where whiteComps.labels[y * W + x] == Int32(ci) {
                        let i = y * W + x
                        let edge = x == 0 || y == 0 || x == W - 1 || y == H - 1 ||
                            white.values[i - 1] == 0 || white.values[i + 1] == 0 || white.values[i - W] == 0 || white.values[i + W] == 0
                        if edge { border += 1; if nearBlack.values[i] != 0 { outlinedBorder += 1 } }
                    }
                }
                if border > 0 && Double(outlinedBorder) >= 0.8 * Double(border) {
                    glyphCount += 1
                    for y in b.1...b.3 { for x in b.0...b.2 where whiteComps.labels[y * W + x] == Int32(ci) { glyphs.values[y * W + x] = 1 } }
                }
            }
            if glyphCount >= 6 {
                // Group into a text block and keep white + black pixels inside the block's extent.
                let block = glyphs.dilated(radius: max(6, H / 60))
                let comps = ComponentLabels(block)
                for ci in 0..<comps.count where comps.sizes[ci] >= P / 2000 {
                    let b = comps.boxes[ci]
                    for y in b.1...b.3 {
                        for x in b.0...b.2 {
                            let i = y * W + x
                            if comps.labels[i] == Int32(ci) && (white.values[i] != 0 || black.values[i] != 0) { out.values[i] = 1 }
                        }
                    }
                    found += 1
                }
            }
        }
        if found == 0 { return nil }
        let filled = MaskOps.fillHoles(out, maxHole: P / 2000).dilated(radius: 3)
        return (filled, min(1, 0.6 + 0.15 * Double(found)))
    }
}

#if canImport(Glibc)
import Glibc
#endif
func debugLog(_ s: String) {
    if getenv("INPAINT_DEBUG") != nil { var t = s + "\n"; t.withUTF8 { _ = write(2, $0.baseAddress, $0.count) } }
}
