import Testing
@testable import InpaintCore

@Suite("Masks")
struct MaskTests {
    @Test("bounding rectangles cover every filled pixel, merged down to the limit")
    func boundingRectangles() {
        var mask = Mask(width: 40, height: 20)
        // Three blobs: two close together on the left, one far right.
        for (x0, x1) in [(1, 4), (6, 9), (30, 38)] { for y in 2..<6 { for x in x0..<x1 { mask[x, y] = true } } }
        #expect(mask.boundingRectangles(limit: 5).count == 3)
        let two = mask.boundingRectangles(limit: 2)
        #expect(two.count == 2)
        #expect(two.contains { $0 == (minX: 1, minY: 2, maxX: 8, maxY: 5) }, "the close pair merged: \(two)")
        for y in 0..<20 {
            for x in 0..<40 where mask[x, y] {
                #expect(two.contains { $0.minX <= x && x <= $0.maxX && $0.minY <= y && y <= $0.maxY })
            }
        }
        #expect(Mask(width: 4, height: 4).boundingRectangles(limit: 1).isEmpty)
    }

    @Test("axis-aligned rectangle polygon rasterises to its area")
    func rectangle() {
        let pts = [CanvasPoint(x: 100, y: 100), CanvasPoint(x: 300, y: 100), CanvasPoint(x: 300, y: 200), CanvasPoint(x: 100, y: 200)]
        let full = TaskMask(shapes: [.polygon(pts)]).rasterize(width: 1920, height: 1080)
        #expect(full.count == 200 * 100)
        #expect(full[100, 100] && full[299, 199] && !full[300, 150] && !full[99, 150])
        // Half resolution: 100 x 50.
        let half = TaskMask(shapes: [.polygon(pts)]).rasterize(width: 960, height: 540)
        #expect(half.count == 100 * 50)
    }

    @Test("even-odd vs non-zero on a doubly wound polygon")
    func fillRules() {
        // Outer square wound twice through a pentagram-like path: use a self-overlapping star.
        let star = (0..<5).map { i -> CanvasPoint in
            let a = Double(i * 2) * Double.pi * 2 / 5 - Double.pi / 2
            return CanvasPoint(x: 500 + 300 * cos(a), y: 500 + 300 * sin(a))
        }
        let eo = TaskMask(shapes: [.polygon(star, .evenOdd)]).rasterize(width: 1920, height: 1080)
        let nz = TaskMask(shapes: [.polygon(star, .nonZero)]).rasterize(width: 1920, height: 1080)
        #expect(!eo[500, 500])  // centre pentagon is a hole under even-odd
        #expect(nz[500, 500])
        #expect(nz.count > eo.count)
    }

    @Test("a polygon has area when it fills a pixel, whatever its signed area")
    func polygonCoverage() {
        let bowTie = [CanvasPoint(x: 100, y: 100), CanvasPoint(x: 300, y: 300), CanvasPoint(x: 300, y: 100), CanvasPoint(x: 100, y: 300)]
        let signedArea = zip(bowTie, bowTie.dropFirst() + bowTie.prefix(1)).reduce(0.0) { $0 + $1.0.x * $1.1.y - $1.1.x * $1.0.y }
        #expect(signedArea == 0)
        #expect(TaskMask.polygonCoversAPixel(bowTie))
        #expect(TaskMask(shapes: [.polygon(bowTie)]).rasterize(width: 1920, height: 1080).count > 15_000)
        #expect(!TaskMask.polygonCoversAPixel([CanvasPoint(x: 1, y: 1), CanvasPoint(x: 2, y: 2), CanvasPoint(x: 3, y: 3)]))
        // A sliver between two rows of pixel centres fills nothing.
        #expect(!TaskMask.polygonCoversAPixel([CanvasPoint(x: 10, y: 10.6), CanvasPoint(x: 900, y: 10.6), CanvasPoint(x: 900, y: 11.4)]))
    }

    @Test("stroke is a union of capsules with the right area")
    func stroke() {
        let r = 10.0
        let m = TaskMask(shapes: [.stroke([CanvasPoint(x: 200, y: 300), CanvasPoint(x: 600, y: 300)], radius: r)])
            .rasterize(width: 1920, height: 1080)
        let expected = 400 * 2 * r + Double.pi * r * r
        #expect(abs(Double(m.count) - expected) / expected < 0.01)
        #expect(m[400, 300] && m[400, 309] && !m[400, 311])
        // A single point gives a disc.
        let dot = TaskMask(shapes: [.stroke([CanvasPoint(x: 100.5, y: 100.5)], radius: 2)]).rasterize(width: 1920, height: 1080)
        #expect(dot.count == 13)
    }

    @Test("dilation by a disc")
    func dilation() {
        var m = Mask(width: 21, height: 21)
        m[10, 10] = true
        #expect(m.dilated(radius: 1).count == 5)
        #expect(m.dilated(radius: 2).count == 13)
        #expect(m.dilated(radius: 3).count == 29)
        let task = TaskMask(shapes: [.stroke([CanvasPoint(x: 10.5, y: 10.5)], radius: 0.1)], dilation: 2)
        #expect(task.rasterize(width: 1920, height: 1080).count == 13)
        #expect(m.dilated(radius: 2).eroded(radius: 2).count == 1)
    }

    @Test("dilation equals a disc around every set pixel, for scattered pixels, edges and large radii")
    func dilationMatchesTheDefinition() {
        var seed: UInt32 = 5
        for (w, h, radius) in [(37, 23, 1), (37, 23, 2), (64, 40, 5), (50, 90, 18), (9, 7, 30)] {
            var m = Mask(width: w, height: h)
            for i in 0..<(w * h) {
                seed = seed &* 1664525 &+ 1013904223
                if seed >> 26 == 0 { m.values[i] = 1 }  // about 1 pixel in 64
            }
            m[0, 0] = true; m[w - 1, h / 2] = true
            var expected = Mask(width: w, height: h)
            for y in 0..<h {
                for x in 0..<w {
                    search: for sy in max(0, y - radius)...min(h - 1, y + radius) {
                        for sx in max(0, x - radius)...min(w - 1, x + radius)
                        where m[sx, sy] && (sx - x) * (sx - x) + (sy - y) * (sy - y) <= radius * radius {
                            expected[x, y] = true
                            break search
                        }
                    }
                }
            }
            #expect(m.dilated(radius: radius) == expected, "\(w)x\(h), radius \(radius)")
        }
        #expect(Mask(width: 8, height: 8).dilated(radius: 3).count == 0)
    }

    @Test("mask PNG round trip uses >= 128 as fill")
    func pngRoundTrip() throws {
        var grey = PixelImage(width: 4, height: 1, channels: 1)
        grey.pixels = [0, 127, 128, 255]
        let m = Mask(image: grey)
        #expect(m.values == [0, 0, 1, 1])
        let path = "/tmp/inpaintcore-mask-\(UInt32.random(in: 0...UInt32.max)).png"
        try m.write(path: path)
        #expect(try Mask.read(path: path) == m)
        #expect(try ImageCodec.read(path: path).pixels == [0, 0, 255, 255])
    }

    @Test("IoU")
    func iou() {
        let a = TestImages.rectMask(width: 10, height: 10, x0: 0, y0: 0, x1: 4, y1: 10)
        let b = TestImages.rectMask(width: 10, height: 10, x0: 2, y0: 0, x1: 6, y1: 10)
        #expect(abs(a.iou(b) - 20.0 / 60.0) < 1e-9)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
