/// An 8-bit, interleaved, row-major raster image (grey, RGB or RGBA).
///
/// A plain value type: copying is cheap until mutated (copy-on-write storage).
public struct PixelImage: Sendable, Equatable {
    /// Width in pixels.
    public let width: Int
    /// Height in pixels.
    public let height: Int
    /// Channels per pixel: 1 (grey), 3 (RGB) or 4 (RGBA).
    public let channels: Int
    /// `width * height * channels` bytes, row-major, channels interleaved.
    public var pixels: [UInt8]

    /// Creates an image from existing pixel bytes.
    public init(width: Int, height: Int, channels: Int, pixels: [UInt8]) {
        precondition(width > 0 && height > 0, "image must not be empty")
        precondition([1, 3, 4].contains(channels), "channels must be 1, 3 or 4")
        precondition(pixels.count == width * height * channels, "pixel buffer size mismatch")
        self.width = width
        self.height = height
        self.channels = channels
        self.pixels = pixels
    }

    /// Creates an image filled with one value in every channel.
    public init(width: Int, height: Int, channels: Int, fill: UInt8 = 0) {
        self.init(width: width, height: height, channels: channels,
                  pixels: [UInt8](repeating: fill, count: width * height * channels))
    }

    /// Number of pixels (`width * height`).
    public var pixelCount: Int { width * height }

    /// Size of the decoded pixel data in bytes.
    public var byteCount: Int { pixels.count }

    /// Reads channel `c` of pixel (x, y).
    @inlinable
    public subscript(x: Int, y: Int, c: Int) -> UInt8 {
        get { pixels[(y * width + x) * channels + c] }
        set { pixels[(y * width + x) * channels + c] = newValue }
    }

    /// Returns an RGB copy (grey is replicated, alpha is dropped).
    public func toRGB() -> PixelImage {
        if channels == 3 { return self }
        var out = [UInt8](repeating: 0, count: pixelCount * 3)
        for i in 0..<pixelCount {
            if channels == 1 {
                let v = pixels[i]
                out[i * 3] = v; out[i * 3 + 1] = v; out[i * 3 + 2] = v
            } else {
                out[i * 3] = pixels[i * 4]; out[i * 3 + 1] = pixels[i * 4 + 1]; out[i * 3 + 2] = pixels[i * 4 + 2]
            }
        }
        return PixelImage(width: width, height: height, channels: 3, pixels: out)
    }

    /// Returns the luma (BT.601) of every pixel as Float in 0...255.
    public func luma() -> [Float] {
        var out = [Float](repeating: 0, count: pixelCount)
        pixels.withUnsafeBufferPointer { p in
            for i in 0..<pixelCount {
                if channels == 1 {
                    out[i] = Float(p[i])
                } else {
                    let b = i * channels
                    out[i] = 0.299 * Float(p[b]) + 0.587 * Float(p[b + 1]) + 0.114 * Float(p[b + 2])
                }
            }
        }
        return out
    }
}
