import InpaintCore

/// Fills what a mark hides and its blend cannot give back (opaque parts, clipped pixels) with what other frames of the
/// same shot show there; FAST fills only what no frame showed.
///
/// A pass of its own (`observe`, every frame) measures how the picture around each followed mask range moves
/// (`RegionMotionEstimator`) and chains the motions into each frame's place in its shot (a segment: a range's frames
/// while the motion can be followed; a cut or a failed measurement starts a new one). It also records, in the shot's
/// first frame's coordinates, the first sightings of every point near the mark (`HiddenContentCanvas`: a median of a
/// few spaced sightings). The removal pass keeps the latest sightings as it goes (`remember`), so a hidden pixel takes
/// the nearest earlier sightings or, when the point was never seen before, the first ones after (`fill`). A frame whose
/// surroundings disagree with what the sightings predict (the scene changed under the motion model) is not filled
/// from them. Memory is bounded: canvases cover the mark's neighbourhood, and first sightings are kept for at most
/// `firstSightingBudget` bytes of segments.
struct TemporalFill {
    /// Where a frame is in its segment.
    struct Placement: Sendable {
        var segment: Int
        /// Maps the frame's pixel positions to the segment's first frame's.
        var toReference: SimilarityTransform
    }

    /// Per mask range: the neighbourhood motion is measured on and sightings recorded from (frame coordinates).
    let contexts: [PixelRegion?]
    /// Per mask range: the pixels the mark covers, grown by a pixel (not sightings).
    private let hidden: [Mask?]
    /// Per mask range: which pixels of the context are usable for the motion.
    private let known: [[Bool]?]
    private let margin: Int
    private var placements: [Placement?] = []
    private var firstSightings: [HiddenContentCanvas?] = []
    private var firstSightingBytes = 0
    private var previous: (frame: Int, span: Int, luma: LumaPlane)?
    private var latest: (segment: Int, canvas: HiddenContentCanvas)?

    /// Largest mean brightness difference left after a measured motion for it to be followed (0…255).
    static let maxResidual: Float = 12
    /// Largest mean difference between a frame's pixels around the hole and the sightings there for the sightings to
    /// be used in that frame (what is left is carried into the hole as an offset; chosen on the harness's seed 1).
    static let ringTolerance: Float = 20
    /// Bytes of first-sighting canvases kept (later segments fill from earlier frames only).
    static let firstSightingBudget = 64 << 20

    init(track: VideoMaskTrack, width: Int, height: Int) {
        margin = max(24, min(width, height) * 15 / 100)
        var contexts: [PixelRegion?] = [], hidden: [Mask?] = [], known: [[Bool]?] = []
        for span in track.spans {
            guard let context = PixelRegion(around: span.mask, margin: margin) else {
                contexts.append(nil); hidden.append(nil); known.append(nil)
                continue
            }
            let grown = span.mask.dilated(radius: 1)
            var usable = [Bool](repeating: true, count: context.width * context.height)
            for y in 0..<context.height {
                for x in 0..<context.width where grown[context.x + x, context.y + y] { usable[y * context.width + x] = false }
            }
            contexts.append(context); hidden.append(grown); known.append(usable)
        }
        self.contexts = contexts
        self.hidden = hidden
        self.known = known
    }

    /// Pass 1: frame `frame` (in order, every frame) shown in mask range `span` (nil outside every range); `luma` is
    /// its brightness and `pixels` its RGB cut at `contexts[span]` (asked for only on frames whose sightings are kept).
    mutating func observe(frame: Int, span: Int?, luma: () -> LumaPlane, pixels: () -> PixelImage) {
        precondition(frame == placements.count)
        guard let span, let context = contexts[span], let hidden = hidden[span], let known = known[span] else {
            placements.append(nil)
            previous = nil
            return
        }
        let luma = luma()
        var placement: Placement? = nil
        if let previous, previous.frame == frame - 1, previous.span == span, let last = placements[frame - 1],
           let motion = RegionMotionEstimator.estimate(template: luma, target: previous.luma, known: known),
           motion.residual <= Self.maxResidual, motion.overlap >= 0.5 {
            // The context's own coordinates to the frame's: p ↦ s(p − c) + t + c.
            let local = motion.transform
            let step = SimilarityTransform(scale: local.scale, tx: local.tx + Double(context.x) - local.scale * Double(context.x),
                                           ty: local.ty + Double(context.y) - local.scale * Double(context.y))
            placement = Placement(segment: last.segment, toReference: last.toReference.after(step))
        }
        if placement == nil {
            finishSegment()
            var canvas: HiddenContentCanvas? = canvasAround(context)
            if let bytes = canvas?.byteCount, firstSightingBytes + bytes <= Self.firstSightingBudget {
                firstSightingBytes += bytes
            } else {
                canvas = nil
            }
            firstSightings.append(canvas)
            placement = Placement(segment: firstSightings.count - 1, toReference: .identity)
        }
        let placed = placement!
        placements.append(placed)
        if Self.remembers(frame) && firstSightings[placed.segment] != nil {
            firstSightings[placed.segment]!.record(frame: frame, pixels: pixels(), crop: context, toFrame: placed.toReference.inverse,
                                                   hidden: hidden, keepFirst: true)
        }
        previous = (frame, span, luma)
    }

    /// Ends the following pass: the last segment's first sightings are complete.
    mutating func finishObserving() {
        finishSegment()
        previous = nil
    }

    /// The latest segment's first sightings are complete: only what `fill` reads of them is kept.
    private mutating func finishSegment() {
        guard let last = firstSightings.indices.last, var canvas = firstSightings[last] else { return }
        let before = canvas.byteCount
        canvas.freeze()
        firstSightingBytes -= before - canvas.byteCount
        firstSightings[last] = canvas
    }

    /// Pass 2: fills what it can of `hole` (pixels of `image`, which is frame `frame` cut at `region`) from other frames'
    /// sightings and takes those pixels out of `hole`. Nothing is filled when the frame's surroundings disagree with the
    /// sightings.
    func fill(frame: Int, region: PixelRegion, image: inout PixelImage, hole: inout Mask,
              fastOptions: FastInpaintOptions) throws(InpaintError) {
        guard let seen = try predict(frame: frame, region: region, image: image, covered: hole, fastOptions: fastOptions) else { return }
        for y in 0..<region.height {
            for x in 0..<region.width {
                guard let value = seen[y * region.width + x] else { continue }
                for c in 0..<3 { image[x, y, c] = YUVMatrix.sample(value[c]) }
                hole[x, y] = false
            }
        }
    }

    /// Pass 2, QUALITY: every pixel of `covered` (the whole mark, in `image` = frame `frame` cut at `region`, already
    /// inverted where the blend is trusted) is weighed against what other frames showed there. An inverted pixel is
    /// the frame's own value scaled by 1/(1 − opacity), so its noise (the codec's, the estimate's) grows with the
    /// opacity; the sightings' median is the scene seen without the mark, but a few frames away. Each gets a weight —
    /// (1 − opacity)² for the inversion, `sightingWeight` for the sightings — and the pixel is their weighted mean; the
    /// sightings' weight falls from full where the two differ by `tolerance` levels (largest channel) to none at twice
    /// that. Pixels of `hole` (nothing to invert) take the sightings alone and leave `hole`. Nothing changes when the
    /// frame's surroundings disagree with the sightings.
    func blend(frame: Int, region: PixelRegion, image: inout PixelImage, covered: Mask, hole: inout Mask,
               opacity: [Float], sightingWeight: Float, tolerance: Float, fastOptions: FastInpaintOptions) throws(InpaintError) {
        guard let seen = try predict(frame: frame, region: region, image: image, covered: covered, fastOptions: fastOptions) else { return }
        for y in 0..<region.height {
            for x in 0..<region.width {
                let i = y * region.width + x
                guard let value = seen[i] else { continue }
                if hole[x, y] {
                    for c in 0..<3 { image[x, y, c] = YUVMatrix.sample(value[c]) }
                    hole[x, y] = false
                } else {
                    // Where the sightings and the inversion disagree by more than noise can explain, the scene
                    // changed there (something passes under the mark): the frame's own inversion stands.
                    let disagreement = max(abs(value[0] - Float(image[x, y, 0])), abs(value[1] - Float(image[x, y, 1])),
                                           abs(value[2] - Float(image[x, y, 2])))
                    let trust = min(1, max(0, 2 - disagreement / tolerance))
                    guard trust > 0 else { continue }
                    let kept = (1 - opacity[i]) * (1 - opacity[i])
                    let share = trust * sightingWeight / (sightingWeight + kept)
                    for c in 0..<3 {
                        let own = Float(image[x, y, c])
                        image[x, y, c] = YUVMatrix.sample(own + share * (value[c] - own))
                    }
                }
            }
        }
    }

    /// What the sightings say each pixel of `covered` shows in frame `frame` (`image` is the frame cut at `region`):
    /// the sightings' median plus the frame's difference to the sightings just around `covered`, carried in
    /// harmonically (FAST on the difference, as Poisson blending does, so the prediction meets its surroundings without
    /// a seam). Nil per pixel where no frame showed it; nil overall when the frame's surroundings disagree with the
    /// sightings (the scene changed under the motion model).
    private func predict(frame: Int, region: PixelRegion, image: PixelImage, covered: Mask,
                         fastOptions: FastInpaintOptions) throws(InpaintError) -> [SIMD3<Float>?]? {
        guard frame < placements.count, let placement = placements[frame] else { return nil }
        let first = firstSightings[placement.segment]
        let latest = latest?.segment == placement.segment ? latest?.canvas : nil
        guard first != nil || latest != nil else { return nil }
        // The known pixels just around the covered ones: what the sightings must predict for the frame to trust them.
        let near = covered.dilated(radius: 4), inner = covered.dilated(radius: 1)
        var seen = [(r: Float, g: Float, b: Float)?](repeating: nil, count: region.width * region.height)
        for y in 0..<region.height {
            for x in 0..<region.width where near[x, y] {
                let (rx, ry) = placement.toReference.apply(Double(region.x + x), Double(region.y + y))
                seen[y * region.width + x] = latest?.colour(atX: rx, y: ry) ?? first?.colour(atX: rx, y: ry)
            }
        }
        var difference: Float = 0, compared = 0
        for y in 0..<region.height {
            for x in 0..<region.width where near[x, y] && !inner[x, y] {
                guard let seen = seen[y * region.width + x] else { continue }
                difference += abs(seen.r - Float(image[x, y, 0])) + abs(seen.g - Float(image[x, y, 1])) + abs(seen.b - Float(image[x, y, 2]))
                compared += 1
            }
        }
        guard compared >= 16, difference / Float(3 * compared) <= Self.ringTolerance else { return nil }
        // Sightings where the frame shows the point too: their difference to the frame (light changing, an object
        // reaching the edge) is what is carried in.
        var offsets = PixelImage(width: region.width, height: region.height, channels: 3, fill: 128)
        var predicted = Mask(width: region.width, height: region.height)
        for y in 0..<region.height {
            for x in 0..<region.width where near[x, y] {
                guard let seen = seen[y * region.width + x] else { continue }
                if covered[x, y] {
                    predicted[x, y] = true
                } else {
                    offsets[x, y, 0] = YUVMatrix.sample(128 + Float(image[x, y, 0]) - seen.r)
                    offsets[x, y, 1] = YUVMatrix.sample(128 + Float(image[x, y, 1]) - seen.g)
                    offsets[x, y, 2] = YUVMatrix.sample(128 + Float(image[x, y, 2]) - seen.b)
                }
            }
        }
        guard !predicted.isEmpty else { return nil }
        try FastInpainter.inpaint(&offsets, mask: predicted, options: fastOptions)
        var values = [SIMD3<Float>?](repeating: nil, count: region.width * region.height)
        for y in 0..<region.height {
            for x in 0..<region.width where predicted[x, y] {
                let seen = seen[y * region.width + x]!
                values[y * region.width + x] = SIMD3(seen.r, seen.g, seen.b)
                    + SIMD3(Float(offsets[x, y, 0]), Float(offsets[x, y, 1]), Float(offsets[x, y, 2])) - 128
            }
        }
        return values
    }

    /// Pass 2, after `fill`: what frame `frame` shows around the mark of range `span` (`pixels`: RGB cut at
    /// `contexts[span]`) becomes the latest sighting.
    mutating func remember(frame: Int, span: Int, pixels: PixelImage) {
        guard Self.remembers(frame), frame < placements.count, let placement = placements[frame], let context = contexts[span], let hidden = hidden[span] else { return }
        if latest?.segment != placement.segment { latest = (placement.segment, canvasAround(context)) }
        latest!.canvas.record(frame: frame, pixels: pixels, crop: context, toFrame: placement.toReference.inverse,
                              hidden: hidden, keepFirst: false)
    }

    /// Whether sightings are taken from `frame` (every `HiddenContentCanvas.spacing`-th frame: a point keeps no two
    /// sightings closer than that anyway).
    static func remembers(_ frame: Int) -> Bool { frame % HiddenContentCanvas.spacing == 0 }

    /// A canvas over `context` and half a margin more on every side, in the coordinates of the frame that starts a segment.
    private func canvasAround(_ context: PixelRegion) -> HiddenContentCanvas {
        HiddenContentCanvas(x: context.x - margin / 2, y: context.y - margin / 2,
                            width: context.width + margin, height: context.height + margin)
    }

    /// Brightness of an RGB picture (BT.709 weights).
    static func luma(_ image: PixelImage) -> LumaPlane {
        var values = [Float](repeating: 0, count: image.width * image.height)
        for i in 0..<values.count {
            values[i] = 0.2126 * Float(image.pixels[i * 3]) + 0.7152 * Float(image.pixels[i * 3 + 1]) + 0.0722 * Float(image.pixels[i * 3 + 2])
        }
        return LumaPlane(width: image.width, height: image.height, values: values)
    }
}
