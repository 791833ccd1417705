import InpaintCore

/// Settings of a video removal.
public struct VideoRemovalOptions: Sendable {
    /// How much work goes into each mark.
    public enum Mode: String, Sendable {
        /// The blend inverted where the estimate holds; a mark is followed through its shot (an extra decoding pass)
        /// only when a real part of it must be filled (opaque, untrusted).
        case fast
        /// Every mark is followed through its shot, and every pixel it covers is weighed against what other frames
        /// showed there (`TemporalFill.blend`): the inversion's noise — the codec's, amplified by 1/(1 − opacity) — and
        /// its flicker are averaged with the scene seen without the mark. One more decoding pass for every mark.
        case quality
    }

    /// FAST or QUALITY.
    public var mode = Mode.fast
    /// QUALITY: the weight of the sightings against an inverted pixel's (1 − opacity)² (chosen on the harness's seed 1).
    public var sightingWeight: Float = 1
    /// QUALITY: how far (0…255, largest channel) the sightings may be from an inverted pixel and keep their full
    /// weight; at twice this they have none (chosen on the harness's seed 1).
    public var sightingTolerance: Float = 24
    /// Frames per mask range the mark is estimated from (fewer for very large masks, to bound memory).
    public var estimationFrames = 24
    /// Pixels kept around each mask's bounding box in the working copies (the fill reads them).
    public var margin = 24
    /// How the result is encoded; nil: the input's codec family (`VideoEncoding.matching`).
    public var encoding: VideoEncoding?
    /// Refuse frames with more pixels than this (checked from the header, before decoding).
    public var maxPixelsPerFrame = 3840 * 2160
    /// Refuse videos announcing more frames than this (checked from the header, before decoding).
    public var maxFrames = 30 * 60 * 60
    /// The multi-frame estimate.
    public var estimator = SharedMatteEstimator.Options()
    /// The spatial fill of what inversion cannot recover.
    public var fill = FastInpaintOptions()

    /// The defaults.
    public init() {}
}

/// Where a removal is: estimating the mark (first pass), following the camera around marks that are partly filled from
/// other frames (a pass only those need), or cleaning and encoding frames (last pass).
public struct VideoProgress: Sendable {
    /// Which pass.
    public enum Phase: String, Sendable {
        case estimating, following, removing

        /// The share of the whole removal done when this pass starts and when it ends (decoding a region is cheaper
        /// than decoding, cleaning and encoding every frame).
        public var span: (start: Double, end: Double) {
            switch self {
            case .estimating: (0, 0.2)
            case .following: (0.2, 0.4)
            case .removing: (0.4, 1)
            }
        }
    }
    /// The pass.
    public var phase: Phase
    /// Frames done in this pass.
    public var frames: Int
    /// Frames expected, if known.
    public var total: Int?

    /// The share of the whole removal done (0…1), nil when the length is unknown.
    public var fraction: Double? {
        guard let total, total > 0 else { return nil }
        let (start, end) = phase.span
        return start + (end - start) * Double(min(frames, total)) / Double(total)
    }
}

/// What a removal did.
public struct VideoRemovalReport: Sendable {
    /// Frames written.
    public var frames: Int
    /// Milliseconds spent estimating and cleaning (decode and encode excluded).
    public var processingMilliseconds: Double
    /// The part of it spent estimating the marks.
    public var estimationMilliseconds: Double
    /// Per mark (mask ranges with the same mask shape are one mark), what was estimated.
    public var marks: [MarkSummary]

    /// The estimate of one mark.
    public struct MarkSummary: Sendable {
        /// Median opacity of the inverted pixels (0 when nothing is inverted).
        public var opacity: Float
        /// Share of the mask that is filled rather than inverted.
        public var filledShare: Double
        /// Frames the estimate was made from.
        public var frames: Int
        /// Mask ranges that showed this mark.
        public var ranges: Int
    }
}
