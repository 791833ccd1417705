/// A binary mask: `true` (stored as 1) marks pixels to fill.
public struct Mask: Sendable, Equatable {
    /// Width in pixels.
    public let width: Int
    /// Height in pixels.
    public let height: Int
    /// One byte per pixel, 0 = keep, 1 = fill.
    public var values: [UInt8]

    /// An empty (all keep) mask.
    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
        self.values = [UInt8](repeating: 0, count: width * height)
    }

    /// Wraps existing 0/1 values.
    public init(width: Int, height: Int, values: [UInt8]) {
        precondition(values.count == width * height, "mask size mismatch")
        self.width = width
        self.height = height
        self.values = values
    }

    /// Builds a mask from a grey/colour image: a pixel is filled when its first channel >= `threshold`.
    public init(image: PixelImage, threshold: UInt8 = 128) {
        self.width = image.width
        self.height = image.height
        let ch = image.channels
        if ch == 1 {
            // Reuse the grey buffer (no second allocation when the image is uniquely owned).
            var v = image.pixels
            v.withUnsafeMutableBufferPointer { p in
                for i in 0..<p.count { p[i] = p[i] >= threshold ? 1 : 0 }
            }
            self.values = v
            return
        }
        var v = [UInt8](repeating: 0, count: image.pixelCount)
        image.pixels.withUnsafeBufferPointer { p in
            for i in 0..<v.count { v[i] = p[i * ch] >= threshold ? 1 : 0 }
        }
        self.values = v
    }

    /// Whether pixel (x, y) is to be filled.
    @inlinable
    public subscript(x: Int, y: Int) -> Bool {
        get { values[y * width + x] != 0 }
        set { values[y * width + x] = newValue ? 1 : 0 }
    }

    /// Number of fill pixels.
    public var count: Int { values.reduce(0) { $0 + Int($1) } }

    /// Whether nothing is to be filled.
    public var isEmpty: Bool { !values.contains(1) }

    /// The mask as an 8-bit grey image (255 = fill).
    public func toImage() -> PixelImage {
        PixelImage(width: width, height: height, channels: 1, pixels: values.map { $0 != 0 ? 255 : 0 })
    }

    /// Reads a mask PNG (or any supported image); `>= threshold` in the first channel = fill.
    public static func read(path: String, threshold: UInt8 = 128) throws(InpaintError) -> Mask {
        Mask(image: try ImageCodec.read(path: path), threshold: threshold)
    }

    /// Writes the mask as an 8-bit grey PNG (255 = fill).
    public func write(path: String) throws(InpaintError) {
        try ImageCodec.write(toImage(), path: path, format: .png)
    }

    /// Bounding box of the filled pixels as (minX, minY, maxX, maxY), or nil if empty.
    public var boundingBox: (minX: Int, minY: Int, maxX: Int, maxY: Int)? {
        var minX = width, minY = height, maxX = -1, maxY = -1
        for y in 0..<height {
            let row = y * width
            for x in 0..<width where values[row + x] != 0 {
                if x < minX { minX = x }
                if x > maxX { maxX = x }
                if y < minY { minY = y }
                maxY = y
            }
        }
        return maxX < 0 ? nil : (minX, minY, maxX, maxY)
    }

    /// Intersection-over-union with another mask of the same size (1 if both empty).
    public func iou(_ other: Mask) -> Double {
        precondition(other.width == width && other.height == height)
        var inter = 0, uni = 0
        for i in 0..<values.count {
            let a = values[i] != 0, b = other.values[i] != 0
            if a && b { inter += 1 }
            if a || b { uni += 1 }
        }
        return uni == 0 ? 1 : Double(inter) / Double(uni)
    }

    /// The union of two masks of the same size.
    public func union(_ other: Mask) -> Mask {
        precondition(other.width == width && other.height == height)
        var out = self
        for i in 0..<values.count where other.values[i] != 0 { out.values[i] = 1 }
        return out
    }
}
