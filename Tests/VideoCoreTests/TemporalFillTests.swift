import Foundation
import InpaintCore
import Testing
@testable import VideoCore

/// The parts of filling from other frames: following the camera around a mark, and remembering the background rather
/// than what crossed it.
@Suite struct TemporalFillTests {
    /// A smooth texture seen through a camera at `transform` (frame position ↦ scene position).
    func view(width: Int, height: Int, _ transform: SimilarityTransform) -> LumaPlane {
        var values = [Float](repeating: 0, count: width * height)
        for y in 0..<height {
            for x in 0..<width {
                let (u, v) = transform.apply(Double(x), Double(y))
                values[y * width + x] = Float(128 + 50 * sin(u * 0.11) * cos(v * 0.07) + 30 * sin((u - v) * 0.05) + 20 * cos(u * 0.23 + v * 0.13))
            }
        }
        return LumaPlane(width: width, height: height, values: values)
    }

    @Test func theCamerasZoomAndShiftAreMeasuredAroundTheMark() throws {
        let width = 160, height = 120
        let before = SimilarityTransform(scale: 1, tx: 40, ty: 25)
        // The next frame: the camera moved 2.6 px right, 1.3 px up and zoomed in by 1 %.
        let after = SimilarityTransform(scale: 1 / 1.01, tx: 42.6, ty: 23.7)
        var known = [Bool](repeating: true, count: width * height)
        for y in 45..<75 { for x in 50..<110 { known[y * width + x] = false } }   // the mark
        let motion = try #require(RegionMotionEstimator.estimate(template: view(width: width, height: height, after),
                                                                 target: view(width: width, height: height, before), known: known))
        // Expected: a position p in the later frame shows scene point after(p), which the earlier frame shows at
        // before⁻¹(after(p)).
        let expected = before.inverse.after(after)
        for (x, y) in [(10.0, 10.0), (150.0, 110.0), (80.0, 60.0)] {
            let got = motion.transform.apply(x, y), want = expected.apply(x, y)
            #expect(abs(got.x - want.x) < 0.1 && abs(got.y - want.y) < 0.1, "at \(x),\(y): \(got) vs \(want)")
        }
        #expect(motion.residual < 1 && motion.overlap > 0.9)
    }

    @Test func aCanvasAnswersWithTheBackgroundNotWhatCrossedIt() throws {
        var canvas = HiddenContentCanvas(x: 0, y: 0, width: 8, height: 8)
        let crop = PixelRegion(x: 0, y: 0, width: 8, height: 8)
        let background = PixelImage(width: 8, height: 8, channels: 3, fill: 90)
        let ball = PixelImage(width: 8, height: 8, channels: 3, fill: 250)
        // Five sightings spaced as the canvas keeps them; a ball covers the point in the second.
        for (n, picture) in [background, ball, background, background, background].enumerated() {
            canvas.record(frame: n * HiddenContentCanvas.spacing, pixels: picture, crop: crop, toFrame: .identity,
                          hidden: Mask(width: 8, height: 8), keepFirst: false)
        }
        let colour = try #require(canvas.colour(atX: 3.5, y: 3.5))
        #expect(colour.r == 90 && colour.g == 90 && colour.b == 90)
        // A finished canvas keeps its answers in a quarter of the memory.
        let recording = canvas.byteCount
        canvas.freeze()
        #expect(canvas.byteCount * 3 < recording)
        let frozen = try #require(canvas.colour(atX: 3.5, y: 3.5))
        #expect(frozen.r == 90 && frozen.g == 90 && frozen.b == 90)
        // Pixels the mark hides are never recorded, and a point seen fewer than three times has no answer.
        var sparse = HiddenContentCanvas(x: 0, y: 0, width: 8, height: 8)
        var right = Mask(width: 8, height: 8)
        for y in 0..<8 { for x in 4..<8 { right[x, y] = true } }
        for n in 0..<2 {
            sparse.record(frame: n * HiddenContentCanvas.spacing, pixels: background, crop: crop, toFrame: .identity,
                          hidden: right, keepFirst: true)
        }
        #expect(sparse.colour(atX: 1, y: 1) == nil)
        for n in 2..<5 {
            sparse.record(frame: n * HiddenContentCanvas.spacing, pixels: background, crop: crop, toFrame: .identity,
                          hidden: right, keepFirst: true)
        }
        #expect(sparse.colour(atX: 1, y: 1) != nil && sparse.colour(atX: 5, y: 1) == nil)
    }
}
