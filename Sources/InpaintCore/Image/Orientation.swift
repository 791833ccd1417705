/// EXIF orientation (TIFF tag 0x0112), values 1...8.
public enum ExifOrientation: Int, Sendable {
    case up = 1, upMirrored = 2, down = 3, downMirrored = 4
    case leftMirrored = 5, right = 6, rightMirrored = 7, left = 8
}

extension PixelImage {
    /// Returns the image transformed so that it displays upright for the given EXIF orientation.
    public func applying(_ orientation: ExifOrientation) -> PixelImage {
        if orientation == .up { return self }
        let swaps = orientation.rawValue >= 5
        let ow = swaps ? height : width
        let oh = swaps ? width : height
        var out = [UInt8](repeating: 0, count: pixels.count)
        let ch = channels
        pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for oy in 0..<oh {
                    for ox in 0..<ow {
                        // Map output (ox, oy) to source (sx, sy).
                        let sx: Int, sy: Int
                        switch orientation {
                        case .up: sx = ox; sy = oy
                        case .upMirrored: sx = width - 1 - ox; sy = oy
                        case .down: sx = width - 1 - ox; sy = height - 1 - oy
                        case .downMirrored: sx = ox; sy = height - 1 - oy
                        case .leftMirrored: sx = oy; sy = ox
                        case .right: sx = oy; sy = height - 1 - ox
                        case .rightMirrored: sx = width - 1 - oy; sy = height - 1 - ox
                        case .left: sx = width - 1 - oy; sy = ox
                        }
                        let s = (sy * width + sx) * ch
                        let d = (oy * ow + ox) * ch
                        for c in 0..<ch { dst[d + c] = src[s + c] }
                    }
                }
            }
        }
        return PixelImage(width: ow, height: oh, channels: ch, pixels: out)
    }
}
