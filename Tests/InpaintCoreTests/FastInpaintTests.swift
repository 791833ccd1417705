import Testing
@testable import InpaintCore

@Suite("FAST inpainting")
struct FastInpaintTests {
    @Test("constant image hole is filled exactly")
    func constant() throws {
        let img = PixelImage(width: 40, height: 30, channels: 3, fill: 137)
        var holed = img
        let mask = TestImages.rectMask(width: 40, height: 30, x0: 10, y0: 8, x1: 25, y1: 20)
        for y in 8..<20 { for x in 10..<25 { for c in 0..<3 { holed[x, y, c] = 0 } } }
        let out = try FastInpainter.inpaint(holed, mask: mask)
        #expect(out == img)
    }

    @Test("linear gradient hole is filled within tolerance", arguments: [(0, 8), (12, 3), (300, 2)])
    func gradient(sweeps: Int, tolerance: Int) throws {
        let img = TestImages.gradient(width: 64, height: 48)
        var holed = img
        let mask = TestImages.rectMask(width: 64, height: 48, x0: 20, y0: 15, x1: 30, y1: 25)
        for y in 15..<25 { for x in 20..<30 { for c in 0..<3 { holed[x, y, c] = 255 } } }
        let out = try FastInpainter.inpaint(holed, mask: mask, options: FastInpaintOptions(relaxationSweeps: sweeps))
        #expect(TestImages.maxError(out, img, mask: mask) <= tolerance)
        // Pixels outside the mask are untouched.
        for y in 0..<48 { for x in 0..<64 where !mask[x, y] { #expect(out[x, y, 1] == img[x, y, 1]) } }
    }

    @Test("grey images and masks touching the border work")
    func greyBorder() throws {
        let img = PixelImage(width: 20, height: 20, channels: 1, fill: 50)
        var holed = img
        let mask = TestImages.rectMask(width: 20, height: 20, x0: 0, y0: 0, x1: 6, y1: 20)
        for y in 0..<20 { for x in 0..<6 { holed[x, y, 0] = 200 } }
        #expect(try FastInpainter.inpaint(holed, mask: mask) == img)
    }

    @Test("empty mask is a no-op, mismatched mask throws")
    func edgeCases() throws {
        let img = TestImages.gradient(width: 16, height: 16)
        #expect(try FastInpainter.inpaint(img, mask: Mask(width: 16, height: 16)) == img)
        #expect(throws: InpaintError.self) { try FastInpainter.inpaint(img, mask: Mask(width: 15, height: 16)) }
    }

    @Test("cancellation stops the march")
    func cancellation() {
        let img = TestImages.gradient(width: 300, height: 300)
        let mask = TestImages.rectMask(width: 300, height: 300, x0: 10, y0: 10, x1: 290, y1: 290)
        let token = CancellationToken()
        token.cancel()
        #expect(throws: InpaintError.cancelled) {
            try FastInpainter.inpaint(img, mask: mask, context: OperationContext(token: token))
        }
    }

    @Test("progress reaches 1")
    func progress() throws {
        let img = TestImages.gradient(width: 200, height: 200)
        let mask = TestImages.rectMask(width: 200, height: 200, x0: 10, y0: 10, x1: 190, y1: 190)
        let last = LastValue()
        _ = try FastInpainter.inpaint(img, mask: mask, context: OperationContext(progress: { last.set($0) }))
        #expect(last.get() == 1)
    }
}

import Synchronization
/// Thread-safe holder for the last progress value.
final class LastValue: Sendable {
    private let v = Mutex<Double>(-1)
    func set(_ x: Double) { v.withLock { $0 = x } }
    func get() -> Double { v.withLock { $0 } }
}

@Suite("async API")
struct AsyncAPITests {
    @Test("async run fills a hole and a cancelled task throws")
    func asyncRun() async throws {
        let img = PixelImage(width: 30, height: 30, channels: 3, fill: 77)
        let mask = TestImages.rectMask(width: 30, height: 30, x0: 5, y0: 5, x1: 20, y1: 20)
        #expect(try await Inpaint.run(img, mask: mask) == img)
        let big = TestImages.gradient(width: 400, height: 400)
        let bigMask = TestImages.rectMask(width: 400, height: 400, x0: 5, y0: 5, x1: 395, y1: 395)
        let task = Task { () async throws(InpaintError) -> PixelImage in
            withUnsafeCurrentTask { $0?.cancel() }
            return try await Inpaint.run(big, mask: bigMask, mode: .quality)
        }
        let result = await task.result
        #expect(throws: InpaintError.cancelled) { try result.get() }
    }
}
