@testable import InpaintCore

/// Helpers shared by the tests.
enum TestImages {
    /// A horizontal+vertical linear gradient RGB image.
    static func gradient(width: Int, height: Int) -> PixelImage {
        var img = PixelImage(width: width, height: height, channels: 3)
        for y in 0..<height {
            for x in 0..<width {
                img[x, y, 0] = UInt8(40 + x * 150 / max(1, width - 1))
                img[x, y, 1] = UInt8(60 + y * 120 / max(1, height - 1))
                img[x, y, 2] = UInt8(100 + (x + y) * 60 / max(1, width + height - 2))
            }
        }
        return img
    }

    /// A rectangular hole mask.
    static func rectMask(width: Int, height: Int, x0: Int, y0: Int, x1: Int, y1: Int) -> Mask {
        var m = Mask(width: width, height: height)
        for y in y0..<y1 { for x in x0..<x1 { m[x, y] = true } }
        return m
    }

    /// Max absolute channel difference over masked pixels.
    static func maxError(_ a: PixelImage, _ b: PixelImage, mask: Mask) -> Int {
        var worst = 0
        for y in 0..<a.height {
            for x in 0..<a.width where mask[x, y] {
                for c in 0..<a.channels { worst = max(worst, abs(Int(a[x, y, c]) - Int(b[x, y, c]))) }
            }
        }
        return worst
    }
}
