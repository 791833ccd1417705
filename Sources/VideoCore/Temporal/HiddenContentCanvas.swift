import InpaintCore

/// What the camera has shown of the scene around a mark, in the coordinates of one reference frame: each point keeps
/// up to `depth` sightings of its colour, at least `spacing` frames apart, and answers with their median — a car or a
/// ball that crossed the point in one sighting does not become the background. A pixel the mark hides in one frame is
/// looked up here through that frame's motion: content an opaque mark covers now was often visible a moment before or
/// after, when the camera pointed a little elsewhere.
struct HiddenContentCanvas: Sendable {
    /// Where the canvas lies in reference coordinates.
    let origin: (x: Int, y: Int)
    let width: Int
    let height: Int
    /// Sightings kept per point.
    static let depth = 5
    /// Fewest sightings a point needs to be used.
    static let minimumSightings = 3
    /// Frames between two sightings kept of one point.
    static let spacing = 4
    /// RGB per point and sighting.
    private var colours: [UInt8]
    /// Sightings recorded per point (the last `depth` are kept).
    private var counts: [Int32]
    /// Frame of each point's last kept sighting, -1 for never.
    private var lastSeen: [Int32]

    init(x: Int, y: Int, width: Int, height: Int) {
        origin = (x, y)
        self.width = width
        self.height = height
        colours = [UInt8](repeating: 0, count: width * height * 3 * Self.depth)
        counts = [Int32](repeating: 0, count: width * height)
        lastSeen = [Int32](repeating: -1, count: width * height)
    }

    /// Bytes held.
    var byteCount: Int { colours.count + counts.count * 8 }

    /// Records what `frame` shows: `pixels` is the frame's RGB cut at `crop` (frame coordinates), `toFrame` maps
    /// reference coordinates into the frame, `hidden` says which frame pixels the mark covers (those are not shown).
    /// `keepFirst` keeps the first `depth` sightings (what later frames show of a point, for frames before them),
    /// otherwise the latest ones replace the oldest.
    mutating func record(frame: Int, pixels: PixelImage, crop: PixelRegion, toFrame: SimilarityTransform,
                         hidden: (Int, Int) -> Bool, keepFirst: Bool) {
        let depth = Self.depth
        for cy in 0..<height {
            for cx in 0..<width {
                let i = cy * width + cx
                if keepFirst && counts[i] >= depth { continue }
                if lastSeen[i] >= 0 && frame - Int(lastSeen[i]) < Self.spacing { continue }
                let (fx, fy) = toFrame.apply(Double(origin.x + cx), Double(origin.y + cy))
                let lx = fx - Double(crop.x), ly = fy - Double(crop.y)
                guard lx >= 0, ly >= 0, lx <= Double(crop.width - 1), ly <= Double(crop.height - 1) else { continue }
                let x0 = min(Int(lx), crop.width - 2), y0 = min(Int(ly), crop.height - 2)
                if hidden(crop.x + x0, crop.y + y0) || hidden(crop.x + x0 + 1, crop.y + y0)
                    || hidden(crop.x + x0, crop.y + y0 + 1) || hidden(crop.x + x0 + 1, crop.y + y0 + 1) { continue }
                let ax = Float(lx - Double(x0)), ay = Float(ly - Double(y0))
                let slot = Int(counts[i]) % depth
                for c in 0..<3 {
                    let p = (y0 * crop.width + x0) * 3 + c
                    let top = Float(pixels.pixels[p]) * (1 - ax) + Float(pixels.pixels[p + 3]) * ax
                    let bottom = Float(pixels.pixels[p + crop.width * 3]) * (1 - ax) + Float(pixels.pixels[p + crop.width * 3 + 3]) * ax
                    colours[(i * depth + slot) * 3 + c] = UInt8(min(255, max(0, (top * (1 - ay) + bottom * ay).rounded())))
                }
                counts[i] += 1
                lastSeen[i] = Int32(frame)
            }
        }
    }

    /// The colour at reference position `(x, y)` (bilinear between the four points' medians) and the latest frame
    /// among their sightings, nil unless all four were seen `minimumSightings` times.
    func colour(atX x: Double, y: Double) -> (r: Float, g: Float, b: Float, frame: Int)? {
        let lx = x - Double(origin.x), ly = y - Double(origin.y)
        guard lx >= 0, ly >= 0, lx <= Double(width - 1), ly <= Double(height - 1) else { return nil }
        let x0 = min(Int(lx), width - 2), y0 = min(Int(ly), height - 2)
        let i00 = y0 * width + x0, i10 = i00 + 1, i01 = i00 + width, i11 = i01 + 1
        let least = min(min(counts[i00], counts[i10]), min(counts[i01], counts[i11]))
        guard least >= Self.minimumSightings else { return nil }
        let ax = Float(lx - Double(x0)), ay = Float(ly - Double(y0))
        let w00 = (1 - ax) * (1 - ay), w10 = ax * (1 - ay), w01 = (1 - ax) * ay, w11 = ax * ay
        func channel(_ c: Int) -> Float {
            w00 * median(i00, channel: c) + w10 * median(i10, channel: c) + w01 * median(i01, channel: c) + w11 * median(i11, channel: c)
        }
        let latest = max(max(lastSeen[i00], lastSeen[i10]), max(lastSeen[i01], lastSeen[i11]))
        return (channel(0), channel(1), channel(2), Int(latest))
    }

    /// Median of a point's kept sightings in one channel (at most `depth`, sorted in place on the stack).
    @inline(__always)
    private func median(_ i: Int, channel c: Int) -> Float {
        let n = min(Int(counts[i]), Self.depth)
        var values = SIMD8<UInt8>()
        for slot in 0..<n { values[slot] = colours[(i * Self.depth + slot) * 3 + c] }
        for a in 1..<max(1, n) {
            var b = a
            while b > 0 && values[b - 1] > values[b] {
                let t = values[b - 1]
                values[b - 1] = values[b]
                values[b] = t
                b -= 1
            }
        }
        return n % 2 == 1 ? Float(values[n / 2]) : (Float(values[n / 2 - 1]) + Float(values[n / 2])) / 2
    }
}
