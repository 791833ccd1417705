import InpaintCore

/// One decoded frame in its planar YUV form (`PlanarYUVLayout`): the part a mark is in is turned into RGB for the
/// removal and written back, the rest of the samples are passed on as the decoder gave them.
///
/// Chroma is read and written at the sites H.264, HEVC and VP9 use unless told otherwise: horizontally on the even luma
/// columns, vertically (4:2:0) between two rows. Reading interpolates between neighbouring samples; writing a chroma
/// sample averages the RGB pixels it stands for with the matching weights, and only chroma samples that stand for a
/// changed pixel are rewritten.
struct YUVFrame {
    /// Geometry of `bytes`.
    let layout: PlanarYUVLayout
    /// Y plane, then Cb, then Cr, as FFmpeg's raw output carries them.
    var bytes: [UInt8]

    /// The RGB pixels of `region`.
    func rgb(in region: PixelRegion, matrix: YUVMatrix) -> PixelImage {
        var out = [UInt8](repeating: 0, count: region.width * region.height * 3)
        var i = 0
        for y in region.y..<(region.y + region.height) {
            for x in region.x..<(region.x + region.width) {
                let (r, g, b) = rgbAt(x: x, y: y, matrix: matrix)
                out[i] = YUVMatrix.sample(r); out[i + 1] = YUVMatrix.sample(g); out[i + 2] = YUVMatrix.sample(b)
                i += 3
            }
        }
        return PixelImage(width: region.width, height: region.height, channels: 3, pixels: out)
    }

    /// Writes the pixels of `cleaned` that differ from `original` (both as `rgb(in: region)` cut them) back: their
    /// luma, and every chroma sample that stands for one of them.
    mutating func replace(_ region: PixelRegion, original: PixelImage, cleaned: PixelImage, matrix: YUVMatrix) {
        precondition(original.width == region.width && original.height == region.height && cleaned.width == region.width
                     && cleaned.height == region.height && original.channels == 3 && cleaned.channels == 3)
        var changed = [Bool](repeating: false, count: region.width * region.height)
        var any = false
        for i in 0..<changed.count {
            let p = i * 3
            if original.pixels[p] != cleaned.pixels[p] || original.pixels[p + 1] != cleaned.pixels[p + 1]
                || original.pixels[p + 2] != cleaned.pixels[p + 2] {
                changed[i] = true
                any = true
            }
        }
        guard any else { return }
        // Chroma first: the samples it averages outside `region` are read from the planes as they are.
        let sx = layout.chromaShiftX, sy = layout.chromaShiftY
        let cw = layout.chromaWidth, ch = layout.chromaHeight
        let cx0 = max(0, (region.x - 1) >> sx), cx1 = min(cw - 1, (region.x + region.width) >> sx)
        let cy0 = max(0, (region.y - 1) >> sy), cy1 = min(ch - 1, (region.y + region.height) >> sy)
        var chroma: [(index: Int, cb: UInt8, cr: UInt8)] = []
        let footprints = (cx0...cx1).map { Self.footprint($0, shift: sx, sited: true, limit: layout.width) }
        for cy in cy0...cy1 {
            let rows = Self.footprint(cy, shift: sy, sited: false, limit: layout.height)
            for cx in cx0...cx1 {
                let columns = footprints[cx - cx0]
                var touched = false
                for (y, _) in rows where y >= region.y && y < region.y + region.height {
                    for (x, _) in columns where x >= region.x && x < region.x + region.width
                        && changed[(y - region.y) * region.width + (x - region.x)] {
                        touched = true
                    }
                }
                guard touched else { continue }
                var cb: Float = 0, cr: Float = 0
                for (y, wy) in rows {
                    for (x, wx) in columns {
                        let (r, g, b): (Float, Float, Float)
                        if x >= region.x && x < region.x + region.width && y >= region.y && y < region.y + region.height {
                            let p = ((y - region.y) * region.width + (x - region.x)) * 3
                            (r, g, b) = (Float(cleaned.pixels[p]), Float(cleaned.pixels[p + 1]), Float(cleaned.pixels[p + 2]))
                        } else {
                            (r, g, b) = rgbAt(x: x, y: y, matrix: matrix)
                        }
                        let c = matrix.chroma(r: r, g: g, b: b)
                        cb += wx * wy * c.cb
                        cr += wx * wy * c.cr
                    }
                }
                chroma.append((cy * cw + cx, YUVMatrix.sample(cb), YUVMatrix.sample(cr)))
            }
        }
        for sample in chroma {
            bytes[layout.cbOffset + sample.index] = sample.cb
            bytes[layout.crOffset + sample.index] = sample.cr
        }
        for row in 0..<region.height {
            for column in 0..<region.width where changed[row * region.width + column] {
                let p = (row * region.width + column) * 3
                bytes[(region.y + row) * layout.width + region.x + column] = matrix.luma(
                    r: Float(cleaned.pixels[p]), g: Float(cleaned.pixels[p + 1]), b: Float(cleaned.pixels[p + 2]))
            }
        }
    }

    /// RGB of one pixel from the planes.
    @inline(__always)
    private func rgbAt(x: Int, y: Int, matrix: YUVMatrix) -> (Float, Float, Float) {
        let (c0, c1, wc) = Self.interpolation(x, shift: layout.chromaShiftX, sited: true, count: layout.chromaWidth)
        let (r0, r1, wr) = Self.interpolation(y, shift: layout.chromaShiftY, sited: false, count: layout.chromaHeight)
        let cw = layout.chromaWidth
        func plane(_ offset: Int) -> Float {
            let top = Float(bytes[offset + r0 * cw + c0]) * (1 - wc) + Float(bytes[offset + r0 * cw + c1]) * wc
            let bottom = Float(bytes[offset + r1 * cw + c0]) * (1 - wc) + Float(bytes[offset + r1 * cw + c1]) * wc
            return top * (1 - wr) + bottom * wr
        }
        return matrix.rgb(y: bytes[y * layout.width + x], cb: plane(layout.cbOffset), cr: plane(layout.crOffset))
    }

    /// The two chroma samples a luma position `p` lies between and the weight of the second. Co-sited (`sited`): even
    /// positions sit on a sample, odd ones halfway to the next; otherwise samples sit between two luma positions, a
    /// quarter away from each.
    @inline(__always)
    static func interpolation(_ p: Int, shift: Int, sited: Bool, count: Int) -> (Int, Int, Float) {
        guard shift == 1 else { return (p, p, 0) }
        let k = p >> 1
        if sited { return p & 1 == 0 ? (k, k, 0) : (k, min(k + 1, count - 1), 0.5) }
        return p & 1 == 0 ? (k, max(k - 1, 0), 0.25) : (k, min(k + 1, count - 1), 0.25)
    }

    /// The luma positions chroma sample `c` stands for, with their weights (summing to 1): co-sited, the sample's own
    /// position and half of each neighbour's; otherwise the two positions it lies between.
    static func footprint(_ c: Int, shift: Int, sited: Bool, limit: Int) -> [(Int, Float)] {
        guard shift == 1 else { return [(c, 1)] }
        let p = c << 1
        if sited {
            return [(max(p - 1, 0), 0.25), (p, 0.5), (min(p + 1, limit - 1), 0.25)]
        }
        return [(p, 0.5), (min(p + 1, limit - 1), 0.5)]
    }
}
