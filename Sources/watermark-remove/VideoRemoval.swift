import ArgumentParser
import InpaintCore
import VideoCore

/// `watermark remove VIDEO …`: the video path of the command (FFmpeg through pipes, `VideoRemover`).
struct VideoRemoval {
    let command: RemoveCommand

    /// File extensions treated as video.
    static let extensions: Set<String> = ["mp4", "mov", "m4v", "mkv", "webm", "avi"]

    static func isVideo(path: String) -> Bool {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return false }
        return extensions.contains(name[name.index(after: dot)...].lowercased())
    }

    func run() throws {
        do {
            try execute()
        } catch {
            printError("error: \(error.description)")
            switch error {
            case .cancelled: throw ExitCode(130)
            case .ffmpegUnavailable: throw ExitCode(4)
            case .inpaint(.maskRequired): throw ExitCode(3)
            default: throw ExitCode(1)
            }
        }
    }

    private func execute() throws(VideoError) {
        let tools = try FFmpegTools.locate()
        let info = try VideoProbe.probe(command.input, tools: tools)
        var track: VideoMaskTrack
        if let trackPath = command.maskTrack {
            track = try VideoMaskTrack.read(path: trackPath, width: info.width, height: info.height,
                                            framesPerSecond: info.framesPerSecond, threshold: UInt8(command.maskThreshold))
        } else if let maskPath = command.mask {
            var mask: Mask
            do { mask = try Mask.read(path: maskPath, threshold: UInt8(command.maskThreshold)) } catch { throw .inpaint(error) }
            guard mask.width == info.width, mask.height == info.height else {
                throw .invalidArgument("\(maskPath): mask is \(mask.width)x\(mask.height), the video \(info.width)x\(info.height)")
            }
            if command.dilate > 0 { mask = mask.dilated(radius: command.dilate) }
            track = VideoMaskTrack(mask: mask)
        } else {
            let started = ContinuousClock.now
            let outcome = try VideoMarkDetector.detect(input: command.input, tools: tools, minConfidence: command.minConfidence)
            print("DETECT_MS=\(format2((ContinuousClock.now - started).milliseconds))")
            switch outcome {
            case .staticMark(var mask, let confidence, let kind):
                print("DETECTED=\(kind.rawValue) CONFIDENCE=\(format2(confidence))")
                if command.dilate > 0 { mask = mask.dilated(radius: command.dilate) }
                if let path = command.writeMask { do { try mask.write(path: path) } catch { throw .inpaint(error) } }
                track = VideoMaskTrack(mask: mask)
            case .movingMark(let found, let jumps, let confidence):
                print("DETECTED=moving JUMPS=\(jumps) CONFIDENCE=\(format2(confidence))")
                for span in found.spans { print("SPAN=\(span.start)..<\(span.end.map(String.init) ?? "end")") }
                track = found
                if command.dilate > 0 { track = try track.dilated(radius: command.dilate) }
                if let path = command.writeMask { do { try track.union.write(path: path) } catch { throw .inpaint(error) } }
            case .maskRequired(let confidence, let reason):
                throw .inpaint(.maskRequired("\(command.input): no watermark found with enough confidence (\(format2(confidence)) < \(format2(command.minConfidence))): \(reason); pass --mask"))
            }
        }
        var options = VideoRemovalOptions()
        options.mode = command.mode == .quality ? .quality : .fast
        if let weight = command.sightingWeight { options.sightingWeight = weight }
        if let tolerance = command.sightingTolerance { options.sightingTolerance = tolerance }
        options.fill = FastInpaintOptions(radius: command.radius)
        if command.lossless {
            guard command.output.lowercased().hasSuffix(".mkv") else { throw .invalidArgument("--lossless writes Matroska: name the output .mkv") }
            options.encoding = .lossless
        }
        let bar = ProgressBar(label: "video")
        defer { bar.finish() }
        let started = ContinuousClock.now
        let report = try VideoRemover.remove(input: command.input, info: info, output: command.output, track: track, tools: tools,
                                             options: options) { step in
            let seconds = (ContinuousClock.now - started).milliseconds / 1000
            guard let total = step.total, let done = step.fraction else { return }
            let eta = done > 0 ? seconds * (1 - done) / done : 0
            bar.update(done, detail: "\(step.phase.rawValue) \(step.frames)/\(total) frames, ETA \(Int(eta.rounded())) s")
        }
        bar.finish()
        for (n, mark) in report.marks.enumerated() {
            print("MARK_\(n)=opacity \(format2(Double(mark.opacity))) filled \(format2(mark.filledShare * 100))% from \(mark.frames) frames of \(mark.ranges) range(s)")
        }
        print("FRAMES=\(report.frames)")
        print("INPAINT_MS=\(format2(report.processingMilliseconds)) ESTIMATE_MS=\(format2(report.estimationMilliseconds))")
        print("PEAK_RSS_MB=\(format2(PeakMemory.ownMegabytes)) ENCODER_DECODER_PEAK_RSS_MB=\(format2(PeakMemory.childrenMegabytes))")
    }
}
