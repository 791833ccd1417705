/// A rectangle of pixels inside an image: where a mark's working copy is cut from and pasted back.
public struct PixelRegion: Sendable, Equatable {
    /// Left edge (inclusive).
    public var x: Int
    /// Top edge (inclusive).
    public var y: Int
    /// Width in pixels.
    public var width: Int
    /// Height in pixels.
    public var height: Int

    /// Creates a region.
    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x; self.y = y; self.width = width; self.height = height
    }

    /// The bounding box of a mask grown by `margin` pixels on every side and clipped to the mask, or nil for an
    /// empty mask.
    public init?(around mask: Mask, margin: Int) {
        guard let box = mask.boundingBox else { return nil }
        let x0 = max(0, box.minX - margin), y0 = max(0, box.minY - margin)
        let x1 = min(mask.width - 1, box.maxX + margin), y1 = min(mask.height - 1, box.maxY + margin)
        self.init(x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1)
    }
}

extension PixelImage {
    /// A copy of the pixels inside `region`.
    public func cropped(to region: PixelRegion) -> PixelImage {
        precondition(region.x >= 0 && region.y >= 0 && region.x + region.width <= width && region.y + region.height <= height)
        var out = [UInt8](repeating: 0, count: region.width * region.height * channels)
        let rowBytes = region.width * channels
        pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for row in 0..<region.height {
                    let from = ((region.y + row) * width + region.x) * channels
                    for b in 0..<rowBytes { dst[row * rowBytes + b] = src[from + b] }
                }
            }
        }
        return PixelImage(width: region.width, height: region.height, channels: channels, pixels: out)
    }

    /// Writes `patch` (as cut by `cropped(to:)`, same channels) back at `region`.
    public mutating func paste(_ patch: PixelImage, at region: PixelRegion) {
        precondition(patch.width == region.width && patch.height == region.height && patch.channels == channels)
        let rowBytes = region.width * channels
        let w = width, ch = channels
        patch.pixels.withUnsafeBufferPointer { src in
            pixels.withUnsafeMutableBufferPointer { dst in
                for row in 0..<region.height {
                    let to = ((region.y + row) * w + region.x) * ch
                    for b in 0..<rowBytes { dst[to + b] = src[row * rowBytes + b] }
                }
            }
        }
    }
}

extension Mask {
    /// The part of the mask inside `region`.
    public func cropped(to region: PixelRegion) -> Mask {
        var out = Mask(width: region.width, height: region.height)
        for row in 0..<region.height {
            for col in 0..<region.width {
                out.values[row * region.width + col] = values[(region.y + row) * width + region.x + col]
            }
        }
        return out
    }
}
