/// `async` entry points: the same work as the synchronous APIs, run inside the calling task so
/// that cancelling the task (`Task.cancel()`) stops it at the next check with
/// `InpaintError.cancelled`.
public enum Inpaint {
    /// Which inpainting method to use.
    public enum Mode: String, Sendable, CaseIterable {
        /// Telea fast marching + harmonic relaxation.
        case fast
        /// Blend inversion + PatchMatch/EM exemplar inpainting.
        case quality
    }

    /// Fills the masked pixels of `image`.
    public static func run(_ image: PixelImage, mask: Mask, mode: Mode = .fast,
                           progress: ProgressHandler? = nil, token: CancellationToken? = nil) async throws(InpaintError) -> PixelImage {
        let context = OperationContext(progress: progress, token: token)
        switch mode {
        case .fast: return try FastInpainter.inpaint(image, mask: mask, context: context)
        case .quality: return try QualityInpainter.inpaint(image, mask: mask, context: context)
        }
    }

    /// Detects a watermark in one image (see `WatermarkDetector.detect`).
    public static func detect(_ image: PixelImage, progress: ProgressHandler? = nil) async throws(InpaintError) -> DetectionOutcome {
        try WatermarkDetector.detect(in: image, context: OperationContext(progress: progress))
    }
}
