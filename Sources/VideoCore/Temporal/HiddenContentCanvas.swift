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
    /// RGB per point and sighting (empty once `freeze()`d).
    private var colours: [UInt8]
    /// Sightings recorded per point (the last `depth` are kept).
    private var counts: [Int32]
    /// Frame of each point's last kept sighting, -1 for never (empty once `freeze()`d).
    private var lastSeen: [Int32]
    /// Median of each point's kept sightings (RGB), updated as they are recorded.
    private var medians: [UInt8]

    init(x: Int, y: Int, width: Int, height: Int) {
        origin = (x, y)
        self.width = width
        self.height = height
        colours = [UInt8](repeating: 0, count: width * height * 3 * Self.depth)
        counts = [Int32](repeating: 0, count: width * height)
        lastSeen = [Int32](repeating: -1, count: width * height)
        medians = [UInt8](repeating: 0, count: width * height * 3)
    }

    /// Bytes held.
    var byteCount: Int { colours.count + medians.count + counts.count * 4 + lastSeen.count * 4 }

    /// Ends the recording: only what `colour(atX:y:)` reads is kept (about a quarter of the bytes).
    mutating func freeze() {
        colours = []
        lastSeen = []
    }

    /// Records what `frame` shows: `pixels` is the frame's RGB cut at `crop` (frame coordinates), `toFrame` maps
    /// reference coordinates into the frame, `hidden` (frame-sized) says which frame pixels the mark covers (those are
    /// not shown). `keepFirst` keeps the first `depth` sightings (what later frames show of a point, for frames before
    /// them), otherwise the latest ones replace the oldest.
    mutating func record(frame: Int, pixels: PixelImage, crop: PixelRegion, toFrame: SimilarityTransform,
                         hidden: Mask, keepFirst: Bool) {
        precondition(!colours.isEmpty, "a frozen canvas records nothing")
        let depth = Self.depth
        // Only the canvas points that land inside the crop.
        let toReference = toFrame.inverse
        let (ax, ay) = toReference.apply(Double(crop.x), Double(crop.y))
        let (bx, by) = toReference.apply(Double(crop.x + crop.width - 1), Double(crop.y + crop.height - 1))
        let cx0 = max(0, Int((min(ax, bx) - Double(origin.x)).rounded(.down))), cx1 = min(width - 1, Int((max(ax, bx) - Double(origin.x)).rounded(.up)))
        let cy0 = max(0, Int((min(ay, by) - Double(origin.y)).rounded(.down))), cy1 = min(height - 1, Int((max(ay, by) - Double(origin.y)).rounded(.up)))
        guard cx0 <= cx1, cy0 <= cy1 else { return }
        let frameWidth = hidden.width
        for cy in cy0...cy1 {
            for cx in cx0...cx1 {
                let i = cy * width + cx
                if keepFirst && counts[i] >= depth { continue }
                if lastSeen[i] >= 0 && frame - Int(lastSeen[i]) < Self.spacing { continue }
                let (fx, fy) = toFrame.apply(Double(origin.x + cx), Double(origin.y + cy))
                let lx = fx - Double(crop.x), ly = fy - Double(crop.y)
                guard lx >= 0, ly >= 0, lx <= Double(crop.width - 1), ly <= Double(crop.height - 1) else { continue }
                let x0 = min(Int(lx), crop.width - 2), y0 = min(Int(ly), crop.height - 2)
                let h = (crop.y + y0) * frameWidth + crop.x + x0
                if hidden.values[h] != 0 || hidden.values[h + 1] != 0 || hidden.values[h + frameWidth] != 0
                    || hidden.values[h + frameWidth + 1] != 0 { continue }
                let wx = Float(lx - Double(x0)), wy = Float(ly - Double(y0))
                let slot = Int(counts[i]) % depth
                for c in 0..<3 {
                    let p = (y0 * crop.width + x0) * 3 + c
                    let top = Float(pixels.pixels[p]) * (1 - wx) + Float(pixels.pixels[p + 3]) * wx
                    let bottom = Float(pixels.pixels[p + crop.width * 3]) * (1 - wx) + Float(pixels.pixels[p + crop.width * 3 + 3]) * wx
                    colours[(i * depth + slot) * 3 + c] = UInt8(min(255, max(0, (top * (1 - wy) + bottom * wy).rounded())))
                }
                counts[i] += 1
                lastSeen[i] = Int32(frame)
                for c in 0..<3 { medians[i * 3 + c] = median(i, channel: c) }
            }
        }
    }

    /// The colour at reference position `(x, y)` (bilinear between the four points' medians), nil unless all four
    /// were seen `minimumSightings` times.
    func colour(atX x: Double, y: Double) -> (r: Float, g: Float, b: Float)? {
        let lx = x - Double(origin.x), ly = y - Double(origin.y)
        guard lx >= 0, ly >= 0, lx <= Double(width - 1), ly <= Double(height - 1) else { return nil }
        let x0 = min(Int(lx), width - 2), y0 = min(Int(ly), height - 2)
        let i00 = y0 * width + x0, i10 = i00 + 1, i01 = i00 + width, i11 = i01 + 1
        let least = min(min(counts[i00], counts[i10]), min(counts[i01], counts[i11]))
        guard least >= Self.minimumSightings else { return nil }
        let ax = Float(lx - Double(x0)), ay = Float(ly - Double(y0))
        let w00 = (1 - ax) * (1 - ay), w10 = ax * (1 - ay), w01 = (1 - ax) * ay, w11 = ax * ay
        func channel(_ c: Int) -> Float {
            w00 * Float(medians[i00 * 3 + c]) + w10 * Float(medians[i10 * 3 + c]) + w01 * Float(medians[i01 * 3 + c]) + w11 * Float(medians[i11 * 3 + c])
        }
        return (channel(0), channel(1), channel(2))
    }

    /// Median of a point's kept sightings in one channel (the upper one of the middle two for an even count): the value
    /// with fewer than half below it and at least half at or below it.
    @inline(__always)
    private func median(_ i: Int, channel c: Int) -> UInt8 {
        let n = min(Int(counts[i]), Self.depth), k = n / 2
        let base = i * Self.depth * 3 + c
        return colours.withUnsafeBufferPointer { samples in
            for a in 0..<n {
                let v = samples[base + a * 3]
                var below = 0, same = 0
                for b in 0..<n {
                    let w = samples[base + b * 3]
                    if w < v { below += 1 } else if w == v { same += 1 }
                }
                if below <= k && k < below + same { return v }
            }
            return samples[base]
        }
    }
}
