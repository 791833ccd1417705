import ContractRuntime
import Foundation
import InpaintCore
import PostgresSupport
import Tracing
import WatermarkAPI
import WatermarkDatabase

/// Takes one claimed task through its stages — PREPROCESSING (read and decode the upload) →
/// DETECTING (rasterise the user's mask, or find the watermark) → INPAINTING (FAST or QUALITY) →
/// PACKAGING (encode in the upload's format and store) → SUCCEEDED — each stage change written
/// through the state machine, so progress shows on the events stream and a task that was canceled
/// or taken over meanwhile refuses the next write (`TaskStateMachine.Refusal.stale`). The image
/// work runs on `ComputeQueue` and stops at its next check once `token` is cancelled.
struct TaskProcessor: Sendable {
    let steps: TaskPipelineSteps
    /// Largest upload read back from storage, and largest image decoded (pixels).
    let maxSourceBytes: Int
    let maxPixels: Int
    /// Where each stage's duration is recorded.
    let metrics: ServiceMetrics
    /// Replaces the inpainting stage (the queue-throughput benchmark measures the pipeline without it).
    var inpaint: @Sendable (PixelImage, Mask, Inpaint.Mode, OperationContext) throws -> PixelImage = TaskProcessor.fill

    /// Runs `claimed` (PREPROCESSING, leased to this worker, with its upload's row and mask) to
    /// SUCCEEDED and returns the stored row.
    /// Throws `TaskFailure` for what the task should record, `TaskStateMachine.Refusal` when the
    /// task changed under the worker, and `InpaintError.cancelled` when `token` was cancelled.
    func run(_ claimed: ClaimedTask, token: CancellationToken) async throws -> TaskRow {
        var task = claimed.task
        var stageStart = ContinuousClock.now
        /// Records the stage that ends now and moves the task to the next one.
        func enter(_ next: TaskStatusEnum, progress: Int16) async throws {
            metrics.stageFinished(task.status, mode: task.mode.rawValue, duration: ContinuousClock.now - stageStart)
            stageStart = ContinuousClock.now
            task = try await steps.advance(task, to: next, progress: progress)
        }
        let (image, format) = try await stage(.preprocessing) { try await source(claimed.asset) }
        let context = OperationContext(token: token)
        let mask = try await stage(.detecting) {
            try await enter(.detecting, progress: 20)
            return try await self.mask(claimed, image: image, context: context)
        }
        let filled = try await stage(.inpainting) {
            try await enter(.inpainting, progress: 40)
            let mode: Inpaint.Mode = task.mode == .quality ? .quality : .fast
            let inpaint = self.inpaint
            return try await ComputeQueue.run { try inpaint(image, mask, mode, context) }
        }
        let done = try await stage(.packaging) {
            try await enter(.packaging, progress: 90)
            // zlib level 1: a 1080p PNG encodes in about half the time of level 3, for a slightly larger file.
            let bytes = try await ComputeQueue.run { try ImageCodec.encode(filled, as: format, options: EncodeOptions(pngCompressionLevel: 1)) }
            return try await steps.succeed(task, result: bytes, contentType: "image/\(format.rawValue)", fileExtension: Self.fileExtension(format))
        }
        metrics.stageFinished(.packaging, mode: task.mode.rawValue, duration: ContinuousClock.now - stageStart)
        return done
    }

    /// Runs the work of stage `status` in its span (`PREPROCESSING`, …, under the task's span).
    private func stage<Value>(_ status: TaskStatusEnum, _ work: () async throws -> Value) async throws -> Value {
        try await withSpan(status.rawValue) { _ in try await work() }
    }

    /// The task's upload, read from storage and decoded within the pixel limit, and its format (the
    /// result is encoded in the same one).
    private func source(_ asset: AssetRow?) async throws -> (PixelImage, ImageFormat) {
        guard let asset, asset.status == .uploaded else {
            throw TaskFailure(code: .notFound, message: "the task's upload no longer exists", retryable: false)
        }
        guard let bytes = try await steps.storage.read(asset.storageKey, maxBytes: maxSourceBytes) else {
            throw TaskFailure(code: .notFound, message: "the uploaded file is missing from storage", retryable: false)
        }
        guard let format = ImageFormat.sniff(bytes) else {
            throw TaskFailure(code: .imageUnreadable, message: "the upload is not a PNG, JPEG or WebP image", retryable: false)
        }
        let options = DecodeOptions(maxPixels: maxPixels)
        let image = try await ComputeQueue.run { try ImageCodec.decode(bytes, options: options) }
        return (image, format)
    }

    /// The pixels to fill: the user's mask at the image's size, or what auto-detection finds.
    private func mask(_ claimed: ClaimedTask, image: PixelImage, context: OperationContext) async throws -> Mask {
        if claimed.task.maskVersion > 0 {
            guard let row = claimed.mask else {
                throw TaskFailure(code: .notFound, message: "the task's mask no longer exists", retryable: false)
            }
            let drawn = Self.shapes(of: try TaskMasks.mask(row)).rasterize(width: image.width, height: image.height)
            guard !drawn.isEmpty else {
                throw TaskFailure(code: .invalidArgument, message: "the mask covers no pixel of the image", retryable: false)
            }
            return drawn
        }
        let outcome = try await ComputeQueue.run { try WatermarkDetector.detect(in: image, context: context) }
        switch outcome {
        case .mask(let mask, _, _):
            return mask
        case .maskRequired(let confidence, let reason):
            let percent = Int((confidence * 100).rounded())
            throw TaskFailure(code: .watermarkNotFound, message: "no watermark found with enough confidence (\(percent) %): \(reason)", retryable: false)
        }
    }

    /// The API's mask (canvas coordinates) as the inpainting core's shapes.
    static func shapes(of mask: WatermarkAPI.TaskMask) -> InpaintCore.TaskMask {
        shapes(polygons: mask.polygons, strokes: mask.strokes)
    }

    /// Polygons and strokes (canvas coordinates) as the inpainting core's shapes.
    static func shapes(polygons: [MaskPolygon], strokes: [BrushStroke]) -> InpaintCore.TaskMask {
        let outlines = polygons.map { polygon in MaskShape.polygon(polygon.points.map { CanvasPoint(x: $0.x, y: $0.y) }) }
        let lines = strokes.map { stroke in MaskShape.stroke(stroke.points.map { CanvasPoint(x: $0.x, y: $0.y) }, radius: stroke.radius) }
        return InpaintCore.TaskMask(shapes: outlines + lines)
    }

    /// The inpainting core's FAST or QUALITY fill.
    static func fill(_ image: PixelImage, mask: Mask, mode: Inpaint.Mode, context: OperationContext) throws -> PixelImage {
        switch mode {
        case .fast: try FastInpainter.inpaint(image, mask: mask, context: context)
        case .quality: try QualityInpainter.inpaint(image, mask: mask, context: context)
        }
    }

    static func fileExtension(_ format: ImageFormat) -> String {
        switch format {
        case .png: "png"
        case .jpeg: "jpg"
        case .webp: "webp"
        }
    }
}
