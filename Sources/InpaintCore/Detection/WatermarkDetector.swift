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

    /// Detects common overlays in one image (corner logos/text, tiled text, bright semi-transparent
    /// text). Returns `.maskRequired` when the confidence is below `minConfidence`.
    public static func detect(in image: PixelImage, minConfidence: Double = defaultMinConfidence,
                              context: OperationContext = OperationContext()) throws(InpaintError) -> DetectionOutcome {
        let r = try SingleImageDetector.detect(image, context: context)
        guard let m = r.mask, r.confidence >= minConfidence, !m.isEmpty else {
            return .maskRequired(bestConfidence: r.confidence, reason: r.reason)
        }
        return .mask(m, confidence: r.confidence, kind: r.kind)
    }
}
