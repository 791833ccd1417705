import Foundation
import InpaintCore
import Tracing
import VideoCore
import WatermarkDatabase

/// Takes one claimed video task through its stages, as `TaskProcessor` does an image: PREPROCESSING (the upload
/// read in place on the local backend or copied to a scratch file, its header read and checked against the limits again) → DETECTING (the user's mask at
/// the video's frame size, or the static mark found over evenly spaced frames) → INPAINTING (`VideoRemover` in the
/// task's mode: the mark estimated from many frames, then every frame cleaned and encoded; progress written per batch of frames,
/// so it shows on the event stream) → PACKAGING (the result stored) → SUCCEEDED. Files live in a scratch directory
/// removed afterwards. A cancelled `token` (the lease is gone: canceled or taken over; or shutdown) stops FFmpeg
/// and the frame loop at the next frame.
struct VideoTaskProcessor: Sendable {
    let steps: TaskPipelineSteps
    let tools: FFmpegTools
    let settings: VideoSettings
    let metrics: ServiceMetrics
    /// How often progress is written at most (one statement and one event each).
    var progressInterval: Duration = .seconds(1)

    /// The file extensions of video results (one per container kept).
    static let resultExtensions = ["mp4", "mov", "webm"]

    /// Runs `claimed` (PREPROCESSING, leased to this worker) to SUCCEEDED and returns the stored row; throws as
    /// `TaskProcessor.run` does (`VideoError`s are classified by `TaskFailure`).
    func run(_ claimed: ClaimedTask, token: CancellationToken) async throws -> TaskRow {
        var task = claimed.task
        guard let asset = claimed.asset, asset.status == .uploaded else {
            throw TaskFailure(code: .notFound, message: "the task's upload no longer exists", retryable: false)
        }
        let fileExtension = Self.fileExtension(of: asset.contentType.rawValue)
        let scratch = try ScratchDirectory(kind: "video")
        defer { scratch.remove() }
        // A local upload is read where it is (a multi-gigabyte copy saved); another store's object is copied here.
        let inPlace = steps.storage.localFile(of: asset.storageKey)
        let input = inPlace ?? scratch.file("source.\(fileExtension)")
        let output = scratch.file("result.\(fileExtension)")
        var stageStart = ContinuousClock.now
        func enter(_ next: TaskStatusEnum, progress: Int16) async throws {
            metrics.stageFinished(task.status, mode: task.mode.rawValue, duration: ContinuousClock.now - stageStart)
            stageStart = ContinuousClock.now
            task = try await steps.advance(task, to: next, progress: progress)
        }

        let (tools, settings) = (self.tools, self.settings)
        let info = try await withSpan(TaskStatusEnum.preprocessing.rawValue) { _ in
            if inPlace == nil {
                guard try await steps.storage.download(asset.storageKey, to: input, maxBytes: settings.maxBytes) else {
                    throw TaskFailure(code: .notFound, message: "the uploaded file is missing from storage", retryable: false)
                }
            }
            let info = try await ComputeQueue.run { try VideoProbe.probe(input, tools: tools) }
            do {
                _ = try VideoIntake(tools: tools, settings: settings).check(info)
            } catch let rejection as AssetIntake.Rejection {
                throw TaskFailure(code: .videoUnreadable, message: rejection.message, retryable: false)
            }
            return info
        }
        let track = try await withSpan(TaskStatusEnum.detecting.rawValue) { _ in
            try await enter(.detecting, progress: 10)
            return try await self.track(claimed, info: info, input: input, token: token)
        }
        try await withSpan(TaskStatusEnum.inpainting.rawValue) { _ in
            try await enter(.inpainting, progress: 20)
            try await remove(input: input, output: output, track: track, info: info, quality: task.mode == .quality, token: token) { percent in
                task = try await steps.advance(task, to: .inpainting, progress: percent)
            }
        }
        let done = try await withSpan(TaskStatusEnum.packaging.rawValue) { _ in
            try await enter(.packaging, progress: 95)
            return try await steps.succeed(task, resultFile: output, contentType: asset.contentType.rawValue, fileExtension: fileExtension)
        }
        metrics.stageFinished(.packaging, mode: task.mode.rawValue, duration: ContinuousClock.now - stageStart)
        return done
    }

    /// The frames' mask: the user's drawing (canvas units) at the video's frame size, or the detected static mark.
    private func track(_ claimed: ClaimedTask, info: VideoInfo, input: String, token: CancellationToken) async throws -> VideoMaskTrack {
        if claimed.task.maskVersion > 0 {
            guard let row = claimed.mask else {
                throw TaskFailure(code: .notFound, message: "the task's mask no longer exists", retryable: false)
            }
            let mask = try TaskMasks.mask(row)
            guard !mask.timeRanges.isEmpty else {
                let drawn = TaskProcessor.shapes(of: mask).rasterize(width: info.width, height: info.height)
                guard !drawn.isEmpty else {
                    throw TaskFailure(code: .invalidArgument, message: "the mask covers no pixel of the video", retryable: false)
                }
                return VideoMaskTrack(mask: drawn)
            }
            // Each range's frames: those whose time (frame / rate) falls in [start, end).
            let rate = info.framesPerSecond
            func frame(at milliseconds: Int64) -> Int { Int((Double(milliseconds) * rate / 1_000).rounded(.up)) }
            var spans: [VideoMaskTrack.Span] = []
            for range in mask.timeRanges {
                let shapes = TaskProcessor.shapes(polygons: range.polygons ?? [], strokes: range.strokes ?? [])
                let drawn = shapes.rasterize(width: info.width, height: info.height)
                let (start, end) = (frame(at: range.startMs), range.endMs.map(frame(at:)))
                guard !drawn.isEmpty, end.map({ $0 > start }) ?? true else { continue }
                spans.append(VideoMaskTrack.Span(start: start, end: end, mask: drawn))
            }
            guard !spans.isEmpty else {
                throw TaskFailure(code: .invalidArgument, message: "no time range of the mask covers a frame and a pixel of the video", retryable: false)
            }
            do {
                return try VideoMaskTrack(spans: spans)
            } catch {
                throw TaskFailure(code: .invalidArgument, message: error.message, retryable: false)
            }
        }
        let tools = self.tools
        let outcome = try await ComputeQueue.run { try VideoMarkDetector.detect(input: input, tools: tools, token: token) }
        switch outcome {
        case .staticMark(let mask, _, _):
            return VideoMaskTrack(mask: mask)
        case .movingMark(let track, _, _):
            return track
        case .maskRequired(let confidence, let reason):
            let percent = Int((confidence * 100).rounded())
            throw TaskFailure(code: .watermarkNotFound, message: "no watermark found with enough confidence (\(percent) %): \(reason)", retryable: false)
        }
    }

    /// Runs `VideoRemover` on a compute thread and reports its progress as 20…90 % through `report`, at most once
    /// per `progressInterval`. A report that throws (the task changed: canceled) stops the removal.
    private func remove(
        input: String, output: String, track: VideoMaskTrack, info: VideoInfo, quality: Bool, token: CancellationToken,
        report: (Int16) async throws -> Void
    ) async throws {
        let (updates, continuation) = AsyncStream.makeStream(of: VideoProgress.self, bufferingPolicy: .bufferingNewest(1))
        let tools = self.tools
        var settingsForRemoval = VideoRemovalOptions()
        settingsForRemoval.maxPixelsPerFrame = Int(settings.maxPixels)
        settingsForRemoval.mode = quality ? .quality : .fast
        let options = settingsForRemoval
        let removal = Task {
            defer { continuation.finish() }
            return try await ComputeQueue.run {
                try VideoRemover.remove(input: input, info: info, output: output, track: track, tools: tools, options: options, token: token) {
                    continuation.yield($0)
                }
            }
        }
        let clock = ContinuousClock()
        var lastReport = clock.now
        var lastPercent: Int16 = 20
        do {
            for await update in updates {
                var update = update
                if update.total == nil { update.total = info.expectedFrames }
                guard let fraction = update.fraction else { continue }
                let percent = Int16(20 + (70 * fraction).rounded(.down))
                if percent > lastPercent, clock.now - lastReport >= progressInterval {
                    try await report(percent)
                    lastPercent = percent
                    lastReport = clock.now
                }
            }
        } catch {
            token.cancel()
            _ = try? await removal.value
            throw error
        }
        _ = try await removal.value
    }

    /// The result keeps the upload's container.
    static func fileExtension(of contentType: String) -> String {
        switch contentType {
        case "video/quicktime": "mov"
        case "video/webm": "webm"
        default: "mp4"
        }
    }
}
