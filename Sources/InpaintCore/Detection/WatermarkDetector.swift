/// Automatic watermark detection: from several images sharing a mark, or from one image.
public enum WatermarkDetector {
    /// Confidence below which single-image detection answers `.maskRequired`.
    public static let defaultMinConfidence = 0.5

    /// Result of shared-mark detection: the outcome for the mask plus the estimated matte.
    public struct SharedResult: Sendable {
        /// `.mask` (for every image: the mark is in the same place) or `.maskRequired`.
        public var outcome: DetectionOutcome
        /// The estimated opacity/colour matte (Dekel-style), for `BlendInverter`.
        public var matte: WatermarkMatte
    }

    /// Detects a mark shared by `images` (N >= 2, same size).
    public static func detectShared(in images: [PixelImage], minConfidence: Double = defaultMinConfidence,
                                    context: OperationContext = OperationContext()) throws(InpaintError) -> SharedResult {
        let est = try SharedMarkEstimator.estimate(images: images, context: context)
        if est.confidence < minConfidence || est.mask.isEmpty {
            return SharedResult(outcome: .maskRequired(bestConfidence: est.confidence, reason: "no structure shared by the images"),
                                matte: est.matte)
        }
        return SharedResult(outcome: .mask(est.mask, confidence: est.confidence, kind: .sharedMark), matte: est.matte)
    }

    /// What single-image detection finds, confident or not: the best candidate regions, for a person to
    /// correct when the detector is unsure.
    public struct Proposal: Sendable {
        /// The best candidate's pixels; nil when there is no candidate at all.
        public var mask: Mask?
        /// Confidence in that candidate, 0...1.
        public var confidence: Double
        /// What the candidate looks like (nil without one).
        public var kind: OverlayKind?
        /// Whether the confidence reaches the threshold `detect` uses.
        public var found: Bool
        /// Why no candidate reached the threshold (empty when one did).
        public var reason: String
    }

    /// The best candidate regions in one image, with whether they are confident enough to use unseen.
    public static func propose(in image: PixelImage, minConfidence: Double = defaultMinConfidence,
                               context: OperationContext = OperationContext()) throws(InpaintError) -> Proposal {
        let r = try SingleImageDetector.detect(image, context: context)
        guard let mask = r.mask, !mask.isEmpty else {
            return Proposal(mask: nil, confidence: r.confidence, kind: nil, found: false, reason: r.reason)
        }
        let found = r.confidence >= minConfidence
        return Proposal(mask: mask, confidence: r.confidence, kind: r.kind, found: found, reason: found ? "" : r.reason)
    }

    /// Detects common overlays in one image (corner logos/text, tiled text, bright semi-transparent
    /// text). Returns `.maskRequired` when the confidence is below `minConfidence`.
    public static func detect(in image: PixelImage, minConfidence: Double = defaultMinConfidence,
                              context: OperationContext = OperationContext()) throws(InpaintError) -> DetectionOutcome {
        let proposal = try propose(in: image, minConfidence: minConfidence, context: context)
        guard proposal.found, let mask = proposal.mask, let kind = proposal.kind else {
            return .maskRequired(bestConfidence: proposal.confidence, reason: proposal.reason)
        }
        return .mask(mask, confidence: proposal.confidence, kind: kind)
    }
}
