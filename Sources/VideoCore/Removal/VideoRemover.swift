#if canImport(Glibc)
import Glibc
#endif
import InpaintCore

/// Removes a watermark from every frame of a video, streaming: memory holds a frame and the estimation samples,
/// never the video.
///
/// 1. **Estimate** (first decoding pass): for each mask range, up to `estimationFrames` evenly spaced frames are cut
///    to the mask's neighbourhood and `SharedMatteEstimator` finds the mark's opacity and colour from all of them
///    at once (the content moves under a static mark; the mark does not). Ranges whose masks are one shape at
///    different places are one mark, estimated from the frames of all of them (`RecurringMarks`).
/// 2. **Follow** (FAST: only marks with a real part to fill, opaque or untrusted; QUALITY: every mark): the camera's
///    motion around the mark is followed from frame to frame and what it shows there is recorded (`TemporalFill`).
/// 3. **Remove** (last pass): each frame's blend is inverted where the estimate is trusted; the rest (opaque or
///    untrusted pixels, clipped pixels) is filled from what other frames showed of it, then FAST; QUALITY also weighs
///    each inverted pixel against those sightings (`TemporalFill.blend`). The frames are encoded as they come, with
///    the audio copied.
///
/// Frames of 8-bit planar YUV (nearly every camera, phone and web video) are never converted as a whole: the marks'
/// regions are turned into RGB and back (`YUVFrame`), the rest of each frame reaches the encoder as the decoder gave it.
public enum VideoRemover {
    /// Cleans `input` into `output` under `track`; `info` is the input's `VideoProbe` when the caller has it already
    /// (each probe starts ffprobe).
    public static func remove(input: String, info probed: VideoInfo? = nil, output: String, track: VideoMaskTrack, tools: FFmpegTools,
                              options: VideoRemovalOptions = VideoRemovalOptions(),
                              token: CancellationToken? = nil,
                              progress: @Sendable (VideoProgress) -> Void = { _ in }) throws(VideoError) -> VideoRemovalReport {
        #if canImport(Glibc)
        signal(SIGPIPE, SIG_IGN)  // a dead encoder must be an error, not the end of this process
        #endif
        let info: VideoInfo
        if let probed { info = probed } else { info = try VideoProbe.probe(input, tools: tools) }
        try check(info, options: options)
        for span in track.spans where span.mask.width != info.width || span.mask.height != info.height {
            throw .invalidArgument("the mask is \(span.mask.width)x\(span.mask.height), the video \(info.width)x\(info.height)")
        }
        // 8-bit planar YUV stays YUV from decoder to encoder: only the marks' regions are converted, with the
        // stream's own matrix, so nothing outside them changes.
        let format = FrameFormat.native(info)
        let (matrixName, range) = FrameReader.yuvConversion(info) ?? ("bt709", "tv")
        let matrix = YUVMatrix(matrix: matrixName, range: range)
        let clock = ContinuousClock()
        var processing = Duration.zero
        let total = info.expectedFrames

        // Pass 1: samples of each range's neighbourhood, then one estimate per mark (ranges with the same mark at
        // different places share theirs).
        let marks = RecurringMarks(track: track, margin: options.margin)
        let regions = marks.regions
        var wanted: [Set<Int>] = []
        for (n, span) in track.spans.enumerated() {
            let end = min(span.end ?? Int.max, total ?? Int.max)
            guard let g = marks.group[n], end != Int.max, end > span.start else { wanted.append([]); continue }
            let ranges = marks.group.filter { $0 == g }.count
            let budget = max(3, 8_000_000 / max(1, span.mask.count)) / ranges
            let count = min(options.estimationFrames, max(1, budget), end - span.start)
            let length = end - span.start
            wanted.append(Set((0..<count).map { span.start + $0 * length / count }))
        }
        // Each mark's mask, cut to its region (the first range's: the others have the same shape elsewhere).
        let markMasks: [Mask?] = (0..<marks.count).map { g in
            guard let n = marks.group.firstIndex(of: g), let region = regions[n] else { return nil }
            return track.spans[n].mask.cropped(to: region)
        }
        var samples = [[PixelImage]](repeating: [], count: marks.count)
        let fills = (0..<marks.count).map { _ in BackgroundFills() }
        if wanted.contains(where: { !$0.isEmpty }),
           let read = PixelRegion.evenlyAligned(enclosing: regions.compactMap { $0 }, width: info.width, height: info.height) {
            try scan(input: input, info: info, tools: tools, crop: read, format: format, matrix: matrix, token: token,
                     phase: .estimating, progress: progress) { frame, pixels in
                if let n = track.span(at: frame), wanted[n].contains(frame), let region = regions[n], let g = marks.group[n],
                   let mask = markMasks[g] {
                    let start = clock.now
                    let sample = pixels.rgb(region)
                    fills[g].submit(sample, mask: mask, index: samples[g].count, token: token)
                    samples[g].append(sample)
                    processing += clock.now - start
                }
            }
        }
        var mattes = [SharedMatte?](repeating: nil, count: marks.count)
        var summaries: [VideoRemovalReport.MarkSummary] = []
        for g in 0..<marks.count {
            guard let mask = markMasks[g] else { continue }
            let start = clock.now
            let matte: SharedMatte
            do {
                matte = samples[g].count >= 3
                    ? try SharedMatteEstimator.estimate(images: samples[g], fills: fills[g].fills(count: samples[g].count), mask: mask,
                                                        options: options.estimator, context: OperationContext(token: token))
                    : SharedMatte.fillEverything(mask)
            } catch { throw VideoError(error) }
            processing += clock.now - start
            mattes[g] = matte
            summaries.append(.init(opacity: matte.medianOpacity,
                                   filledShare: Double(matte.fill.count) / Double(max(1, mask.count)),
                                   frames: samples[g].count, ranges: marks.group.filter { $0 == g }.count))
            samples[g] = []
        }

        // Filling from other frames is worth its cost where a real part of the mark cannot be inverted: one more
        // pass around those marks follows the camera's motion and records what it shows. QUALITY follows every mark
        // (its inverted pixels are weighed against the sightings too).
        let temporalGroups = Set((0..<marks.count).filter { g in
            guard let matte = mattes[g] else { return false }
            return options.mode == .quality || matte.fill.count * 50 >= max(1, matte.matte.alpha.filter { $0 > 0 }.count)
        })
        var temporal = TemporalFill(track: track, width: info.width, height: info.height)
        let contexts = temporal.contexts
        let followed = track.spans.indices.filter { marks.group[$0].map(temporalGroups.contains) ?? false }
        if let read = PixelRegion.evenlyAligned(enclosing: followed.compactMap { contexts[$0] }, width: info.width, height: info.height) {
            try scan(input: input, info: info, tools: tools, crop: read, format: format, matrix: matrix, token: token,
                     phase: .following, progress: progress) { frame, pixels in
                let start = clock.now
                let n = track.span(at: frame).flatMap { followed.contains($0) ? $0 : nil }
                temporal.observe(frame: frame, span: n, luma: { pixels.luma(contexts[n!]!) }, pixels: { pixels.rgb(contexts[n!]!) })
                processing += clock.now - start
            }
            temporal.finishObserving()
        }
        let estimation = processing
        // Pass 2: clean and encode.
        let reader = try FrameReader(path: input, info: info, tools: tools, format: format)
        let writer = try FrameWriter(path: output, source: input, info: info,
                                     encoding: options.encoding ?? .matching(info, outputPath: output), format: format, tools: tools)
        var frame = 0
        do throws(VideoError) {
            while let pixels = try reader.next() {
                if token?.isCancelled == true { throw VideoError.cancelled }
                var out = pixels
                if let n = track.span(at: frame), let region = regions[n], let g = marks.group[n], let matte = mattes[g] {
                    let start = clock.now
                    // Opaque or untrusted parts are filled from other frames first, then FAST; every few frames the
                    // context around the mark is what this frame shows to later ones.
                    let temporalGroup = temporalGroups.contains(g)
                    let remembering = temporalGroup && TemporalFill.remembers(frame)
                    let context = remembering ? contexts[n]! : region
                    let local = PixelRegion(x: region.x - context.x, y: region.y - context.y, width: region.width, height: region.height)
                    do {
                        var yuv: YUVFrame? = nil, image: PixelImage? = nil
                        let around: PixelImage
                        switch format {
                        case .rgb:
                            image = PixelImage(width: info.width, height: info.height, channels: 3, pixels: pixels)
                            around = image!.cropped(to: context)
                        case .yuv(let layout):
                            yuv = YUVFrame(layout: layout, bytes: pixels)
                            around = yuv!.rgb(in: context, matrix: matrix)
                        }
                        let original = context == region ? around : around.cropped(to: local)
                        var (cleaned, hole) = try matte.invert(original)
                        if temporalGroup && options.mode == .quality, let mask = markMasks[g] {
                            try temporal.blend(frame: frame, region: region, image: &cleaned, covered: mask, hole: &hole,
                                               opacity: matte.matte.alpha, sightingWeight: options.sightingWeight,
                                               tolerance: options.sightingTolerance, fastOptions: options.fill)
                        } else if !hole.isEmpty && temporalGroup {
                            try temporal.fill(frame: frame, region: region, image: &cleaned, hole: &hole, fastOptions: options.fill)
                        }
                        if !hole.isEmpty { try FastInpainter.inpaint(&cleaned, mask: hole, options: options.fill) }
                        if remembering { temporal.remember(frame: frame, span: n, pixels: around) }
                        if var yuv {
                            yuv.replace(region, original: original, cleaned: cleaned, matrix: matrix)
                            out = yuv.bytes
                        } else if var image {
                            image.paste(cleaned, at: region)
                            out = image.pixels
                        }
                    } catch { throw VideoError(error) }
                    processing += clock.now - start
                }
                try writer.write(out)
                frame += 1
                if frame % 5 == 0 { progress(VideoProgress(phase: .removing, frames: frame, total: total)) }
            }
            try writer.finish()
        } catch {
            reader.cancel()
            writer.cancel()
            throw error
        }
        progress(VideoProgress(phase: .removing, frames: frame, total: frame))
        return VideoRemovalReport(frames: frame, processingMilliseconds: processing.milliseconds,
                                  estimationMilliseconds: estimation.milliseconds, marks: summaries)
    }

    /// One decoding pass over `crop` of every frame, reported as `phase`.
    private static func scan(input: String, info: VideoInfo, tools: FFmpegTools, crop: PixelRegion, format: FrameFormat,
                             matrix: YUVMatrix, token: CancellationToken?, phase: VideoProgress.Phase,
                             progress: (VideoProgress) -> Void,
                             visit: (Int, CroppedFrame) throws(VideoError) -> Void) throws(VideoError) {
        let reader = try FrameReader(path: input, info: info, tools: tools, crop: crop, format: format)
        var frame = 0
        while let bytes = try reader.next() {
            if token?.isCancelled == true { reader.cancel(); throw .cancelled }
            try visit(frame, CroppedFrame(crop: crop, format: format, matrix: matrix, bytes: bytes))
            frame += 1
            if frame % 10 == 0 { progress(VideoProgress(phase: phase, frames: frame, total: info.expectedFrames)) }
        }
    }

    /// Limits checked from the header, before anything is decoded.
    static func check(_ info: VideoInfo, options: VideoRemovalOptions) throws(VideoError) {
        if info.width * info.height > options.maxPixelsPerFrame {
            throw .videoUnsupported("frames are \(info.width)x\(info.height), more than \(options.maxPixelsPerFrame) pixels")
        }
        if let frames = info.expectedFrames, frames > options.maxFrames {
            throw .videoUnsupported("the video has \(frames) frames, more than \(options.maxFrames)")
        }
        guard info.framesPerSecond > 0 else { throw .videoCorrupt("the video has no frame rate") }
    }
}
