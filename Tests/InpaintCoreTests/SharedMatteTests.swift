import Foundation
import Testing
@testable import InpaintCore

@Suite("A mark shared by many images, estimated from all of them")
struct SharedMatteTests {
    /// `count` views of one scene (smooth waves), each shifted 5 px further, with the same mark at the same place:
    /// what a panning camera gives.
    func views(count: Int, alpha: [Float], colour: (Float, Float, Float)) -> (marked: [PixelImage], clean: [PixelImage]) {
        var scene = PixelImage(width: 120 + 5 * count, height: 90, channels: 3)
        for y in 0..<90 {
            for x in 0..<scene.width {
                let wave = sin(Float(x) * 0.09) * cos(Float(y) * 0.07)
                scene[x, y, 0] = UInt8(128 + 80 * wave)
                scene[x, y, 1] = UInt8(110 + 60 * sin(Float(x + y) * 0.05))
                scene[x, y, 2] = UInt8(120 - 70 * wave)
            }
        }
        let matte = WatermarkMatte(width: 120, height: 90, alpha: alpha, uniformColor: colour)
        let clean = (0..<count).map { scene.cropped(to: PixelRegion(x: 5 * $0, y: 0, width: 120, height: 90)) }
        return (clean.map { matte.apply(to: $0) }, clean)
    }

    /// Every pixel the mark touches, grown by 2 px: the mask a user would paint.
    func footprint(_ alpha: [Float]) -> Mask {
        Mask(width: 120, height: 90, values: alpha.map { $0 > 0 ? 1 : 0 }).dilated(radius: 2)
    }

    @Test("a semi-transparent coloured mark is found at its opacity and inverted far better than it is filled")
    func semiTransparentMark() throws {
        let alpha = barsAlpha(width: 120, height: 90, opacity: 0.4)
        let (marked, clean) = views(count: 12, alpha: alpha, colour: (250, 220, 120))
        let mask = footprint(alpha)
        let estimate = try SharedMatteEstimator.estimate(images: marked, mask: mask)
        #expect(abs(estimate.medianOpacity - 0.4) < 0.04)
        #expect(Double(estimate.fill.count) < 0.05 * Double(mask.count))
        var inverted = 0.0, filled = 0.0
        for (image, truth) in zip(marked, clean) {
            inverted += meanSquaredError(try estimate.remove(from: image), truth, inside: mask)
            filled += meanSquaredError(try FastInpainter.inpaint(image, mask: mask), truth, inside: mask)
        }
        #expect(inverted * 10 < filled, "inverted MSE \(inverted), filled \(filled)")
        // Outside the mask nothing changes.
        let out = try estimate.remove(from: marked[0])
        for i in 0..<(120 * 90) where mask.values[i] == 0 { #expect(out.pixels[i * 3] == marked[0].pixels[i * 3]) }
    }

    @Test("an opaque mark is filled, not inverted")
    func opaqueMark() throws {
        let alpha = barsAlpha(width: 120, height: 90, opacity: 1)
        let (marked, clean) = views(count: 8, alpha: alpha, colour: (30, 200, 40))
        let mask = footprint(alpha)
        let estimate = try SharedMatteEstimator.estimate(images: marked, mask: mask)
        for i in 0..<(120 * 90) where alpha[i] == 1 { #expect(estimate.fill.values[i] == 1) }
        let out = try estimate.remove(from: marked[0])
        #expect(meanSquaredError(out, clean[0], inside: mask) <= meanSquaredError(try FastInpainter.inpaint(marked[0], mask: mask), clean[0], inside: mask) + 1)
    }

    @Test("fewer than three images are refused")
    func tooFewImages() {
        let image = PixelImage(width: 8, height: 8, channels: 3, fill: 100)
        #expect(throws: InpaintError.self) { _ = try SharedMatteEstimator.estimate(images: [image, image], mask: Mask(width: 8, height: 8)) }
    }
}
