import Testing
@testable import InpaintCore

@Suite("Detection")
struct DetectionTests {
    @Test("shared mark across images: mask and matte are recovered")
    func sharedMark() throws {
        let w = 140, h = 100
        let alpha = barsAlpha(width: w, height: h, opacity: 0.4)
        let matte = WatermarkMatte(width: w, height: h, alpha: alpha, uniformColor: (250, 250, 250))
        var images: [PixelImage] = []
        for k in 0..<6 {
            let seed = UInt32(11 + k * 97)
            let photo = texturedImage(width: w, height: h, seed: seed).applying(k % 2 == 0 ? .up : .upMirrored)
            images.append(matte.apply(to: photo))
        }
        let est = try SharedMarkEstimator.estimate(images: images)
        let truth = Mask(width: w, height: h, values: alpha.map { $0 > 0 ? 1 : 0 }).dilated(radius: 2)
        #expect(est.mask.iou(truth) > 0.75)
        // Opacity of the bar interiors is estimated near 0.4.
        var vals: [Float] = []
        for i in 0..<(w * h) where alpha[i] > 0 && est.matte.alpha[i] > 0 { vals.append(est.matte.alpha[i]) }
        vals.sort()
        #expect(!vals.isEmpty)
        #expect(abs(vals[vals.count / 2] - 0.4) < 0.12)
        let outcome = try WatermarkDetector.detectShared(in: images, minConfidence: 0.1).outcome
        #expect(outcome.mask != nil)
        // Removal through the matte beats leaving the mark.
        let removed = try SharedMarkRemover.remove(images: images)
        #expect(removed.images.count == images.count)
    }

    @Test("shared detection needs two images")
    func sharedNeedsTwo() {
        #expect(throws: InpaintError.self) { try SharedMarkEstimator.estimate(images: [texturedImage(width: 20, height: 20, seed: 1)]) }
    }

    @Test("single image: a bright semi-transparent text row is detected, a clean image is not")
    func singleImage() throws {
        let w = 240, h = 160
        let base = texturedImage(width: w, height: h, seed: 5)
        var alpha = [Float](repeating: 0, count: w * h)
        // A row of 10 glyph-like bars, 4 px strokes, opacity 0.5.
        for g in 0..<10 {
            let gx = 20 + g * 20
            for y in 70..<90 { for x in gx..<(gx + 4) { alpha[y * w + x] = 0.5 } }
            for y in 70..<74 { for x in gx..<(gx + 12) { alpha[y * w + x] = 0.5 } }
        }
        let marked = WatermarkMatte(width: w, height: h, alpha: alpha, uniformColor: (255, 255, 255)).apply(to: base)
        let outcome = try WatermarkDetector.detect(in: marked)
        let truth = Mask(width: w, height: h, values: alpha.map { $0 > 0 ? 1 : 0 }).dilated(radius: 2)
        guard case .mask(let m, let conf, _) = outcome else {
            Issue.record("expected a mask, got \(outcome)")
            return
        }
        #expect(conf >= 0.5)
        #expect(m.iou(truth) > 0.5)
        if case .mask = try WatermarkDetector.detect(in: base) { Issue.record("clean image produced a mask") }
    }

    @Test("min/max filters match brute force (borders, windows larger than the image); opening removes thin bright lines")
    func morphology() {
        var s: UInt32 = 9
        for (w, h, r) in [(23, 17, 1), (23, 17, 3), (31, 64, 11), (5, 4, 6)] {
            let plane = (0..<(w * h)).map { _ -> Float in s = s &* 1664525 &+ 1013904223; return Float(s >> 24) }
            for isMax in [false, true] {
                let filtered = MorphologyFilter.filter(plane, width: w, height: h, r: r, isMax: isMax)
                var expected = [Float](repeating: 0, count: w * h)
                for y in 0..<h {
                    for x in 0..<w {
                        var v: Float = isMax ? -.infinity : .infinity
                        for yy in max(0, y - r)...min(h - 1, y + r) {
                            for xx in max(0, x - r)...min(w - 1, x + r) { v = isMax ? max(v, plane[yy * w + xx]) : min(v, plane[yy * w + xx]) }
                        }
                        expected[y * w + x] = v
                    }
                }
                #expect(filtered == expected, "\(w)x\(h) r=\(r) max=\(isMax)")
            }
        }
        let w = 23, h = 17
        var line = [Float](repeating: 10, count: w * h)
        for x in 0..<w { line[8 * w + x] = 200 }
        #expect(MorphologyFilter.opening(line, width: w, height: h, r: 2).allSatisfy { $0 == 10 })
    }

    @Test("connected components and hole filling")
    func components() {
        var m = Mask(width: 10, height: 10)
        for i in 0..<10 { m[i, 0] = true; m[i, 9] = true; m[0, i] = true; m[9, i] = true }
        m[5, 5] = true
        let c = ComponentLabels(m)
        #expect(c.count == 2)
        #expect(MaskOps.fillHoles(m, maxHole: 1000).count == 100)
        #expect(MaskOps.fillHoles(m, maxHole: 10).count == m.count)
    }

    @Test("the median by selection equals the middle of the sorted values, for every length and with ties")
    func medianMatchesSorting() {
        var state: UInt32 = 12345
        for n in 1...97 {
            for round in 0..<20 {
                var values = (0..<n).map { _ -> Float in
                    state = state &* 1664525 &+ 1013904223
                    return Float(state >> (round % 2 == 0 ? 24 : 29))  // round 1, 3, …: few distinct values (ties)
                }
                let sorted = values.sorted()
                let expected = n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2])
                let got = values.withUnsafeMutableBufferPointer { MaskOps.median($0.baseAddress!, n) }
                #expect(got == expected, "n \(n) round \(round)")
            }
        }
    }
}
