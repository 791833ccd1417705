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
/// 2. **Remove** (second pass): each frame's blend is inverted where the estimate is trusted and the rest (opaque or
///    untrusted pixels, clipped pixels) is filled (FAST); the frames are encoded as they come, with the audio copied.
///
/// Frames of 8-bit planar YUV (nearly every camera, phone and web video) are never converted as a whole: the marks'
/// regions are turned into RGB and back (`YUVFrame`), the rest of each frame reaches the encoder as the decoder gave it.
public enum VideoRemover {
    /// Cleans `input` into `output` under `track`.
    public static func remove(input: String, output: String, track: VideoMaskTrack, tools: FFmpegTools,
                              options: VideoRemovalOptions = VideoRemovalOptions(),
                              token: CancellationToken? = nil,
                              progress: @Sendable (VideoProgress) -> Void = { _ in }) throws(VideoError) -> VideoRemovalReport {
        #if canImport(Glibc)
        signal(SIGPIPE, SIG_IGN)  // a dead encoder must be an error, not the end of this process
        #endif
        let info = try VideoProbe.probe(input, tools: tools)
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
        var samples = [[PixelImage]](repeating: [], count: marks.count)
        if wanted.contains(where: { !$0.isEmpty }), let read = PixelRegion.evenlyAligned(enclosing: regions.compactMap { $0 }, width: info.width, height: info.height) {
            // Only the part of the picture the marks are in is read.
            let reader = try FrameReader(path: input, info: info, tools: tools, crop: read, format: format)
            var frame = 0
            while let pixels = try reader.next() {
                if token?.isCancelled == true { reader.cancel(); throw .cancelled }
                if let n = track.span(at: frame), wanted[n].contains(frame), let region = regions[n], let g = marks.group[n] {
                    let local = PixelRegion(x: region.x - read.x, y: region.y - read.y, width: region.width, height: region.height)
                    switch format {
                    case .rgb:
                        samples[g].append(PixelImage(width: read.width, height: read.height, channels: 3, pixels: pixels).cropped(to: local))
                    case .yuv(let layout):
                        let crop = YUVFrame(layout: layout.resized(width: read.width, height: read.height), bytes: pixels)
                        samples[g].append(crop.rgb(in: local, matrix: matrix))
                    }
                }
                frame += 1
                if frame % 10 == 0 { progress(VideoProgress(phase: .estimating, frames: frame, total: total)) }
            }
        }
        var mattes = [SharedMatte?](repeating: nil, count: marks.count)
        var summaries: [VideoRemovalReport.MarkSummary] = []
        for g in 0..<marks.count {
            guard let n = marks.group.firstIndex(of: g), let region = regions[n] else { continue }
            let mask = track.spans[n].mask.cropped(to: region)
            let start = clock.now
            let matte: SharedMatte
            do {
                matte = samples[g].count >= 3
                    ? try SharedMatteEstimator.estimate(images: samples[g], mask: mask, options: options.estimator,
                                                        context: OperationContext(token: token))
                    : SharedMatte.fillEverything(mask)
            } catch { throw VideoError(error) }
            processing += clock.now - start
            mattes[g] = matte
            summaries.append(.init(opacity: matte.medianOpacity,
                                   filledShare: Double(matte.fill.count) / Double(max(1, mask.count)),
                                   frames: samples[g].count, ranges: marks.group.filter { $0 == g }.count))
            samples[g] = []
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
                    do {
                        switch format {
                        case .rgb:
                            var image = PixelImage(width: info.width, height: info.height, channels: 3, pixels: pixels)
                            image.paste(try matte.remove(from: image.cropped(to: region), fastOptions: options.fill), at: region)
                            out = image.pixels
                        case .yuv(let layout):
                            var yuv = YUVFrame(layout: layout, bytes: pixels)
                            let original = yuv.rgb(in: region, matrix: matrix)
                            let cleaned = try matte.remove(from: original, fastOptions: options.fill)
                            yuv.replace(region, original: original, cleaned: cleaned, matrix: matrix)
                            out = yuv.bytes
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
