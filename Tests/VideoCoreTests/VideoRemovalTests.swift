import Foundation
import InpaintCore
import Testing
@testable import VideoCore

/// `VideoRemover` through real FFmpeg (Debian's `ffmpeg`/`ffprobe`), on a clip made by the fixture.
@Suite final class VideoRemovalTests {
    let tools: FFmpegTools
    let clip: VideoClipFixture

    init() throws {
        tools = try FFmpegTools.locate()
        clip = try VideoClipFixture()
    }

    deinit { clip.removeFiles() }

    @Test func aStaticSemiTransparentMarkIsInvertedFromManyFramesAndNothingElseChanges() throws {
        let input = try clip.write(named: "marked.mkv", codec: "ffv1", tools: tools)
        let output = clip.directory.appendingPathComponent("clean.mkv").path
        var options = VideoRemovalOptions()
        options.encoding = .lossless
        let report = try VideoRemover.remove(input: input, output: output, track: VideoMaskTrack(mask: clip.mask), tools: tools, options: options)
        #expect(report.frames == clip.frames)
        let marked = try clip.decode(input, tools: tools)
        let cleaned = try clip.decode(output, tools: tools)
        #expect(cleaned.count == clip.frames)
        // Per-frame FAST under the same mask: what a fill without the multi-frame estimate gives.
        let filled = try marked.map { try FastInpainter.inpaint($0, mask: clip.mask) }
        let psnrMarked = clip.psnrInMask(marked), psnrFilled = clip.psnrInMask(filled), psnrCleaned = clip.psnrInMask(cleaned)
        #expect(psnrCleaned > psnrFilled + 8, "inverted \(psnrCleaned) dB, per-frame fill \(psnrFilled) dB, marked \(psnrMarked) dB")
        // Colour and opacity trade off (a whiter colour at a lower opacity explains the frames almost as well), so the
        // reported opacity is near the truth, not at it; the pixels above are what counts.
        #expect(abs(report.marks[0].opacity - clip.opacity) < 0.1, "estimated opacity \(report.marks[0].opacity)")
        // Outside the mask every pixel of every frame is as it was (lossless output).
        for (before, after) in zip(marked, cleaned) {
            for i in 0..<(clip.width * clip.height) where clip.mask.values[i] == 0 {
                #expect(before.pixels[i * 3] == after.pixels[i * 3] && before.pixels[i * 3 + 2] == after.pixels[i * 3 + 2])
            }
        }
        let info = try VideoProbe.probe(output, tools: tools)
        #expect(info.codec == "ffvhuff" && info.audioCodec == "flac")
    }

    @Test func anOpaqueMarkIsFilledWithWhatOtherFramesShowUnderIt() throws {
        // The camera pans 2 px right and 1 px down a frame: what the opaque mark hides in one frame is visible in others.
        let opaque = try VideoClipFixture(opacity: 1)
        defer { opaque.removeFiles() }
        let input = try opaque.write(named: "opaque.mp4", codec: "h264", tools: tools)
        let output = opaque.directory.appendingPathComponent("clean.mkv").path
        var options = VideoRemovalOptions()
        options.encoding = .lossless
        let report = try VideoRemover.remove(input: input, output: output, track: VideoMaskTrack(mask: opaque.mask), tools: tools, options: options)
        #expect(report.marks[0].filledShare > 0.5)
        let marked = try opaque.decode(input, tools: tools)
        let filled = try marked.map { try FastInpainter.inpaint($0, mask: opaque.mask) }
        let psnrFilled = opaque.psnrInMask(filled), psnrCleaned = opaque.psnrInMask(try opaque.decode(output, tools: tools))
        #expect(psnrCleaned > psnrFilled + 3, "from other frames \(psnrCleaned) dB, per-frame fill \(psnrFilled) dB")
    }

    @Test func qualityWeighsTheInversionAgainstOtherFramesAndKeepsWhatPassesUnderTheMark() throws {
        // H.264 at CRF 28: inverting the blend scales the codec's error by 1/(1 − opacity); the panning camera shows
        // each point under the mark unmarked in other frames. A dark disc crosses the mark: there the sightings (the
        // background) are wrong and the frame's own inversion must stand.
        let input = try clip.write(named: "marked.mp4", codec: "h264", tools: tools, crf: 28)
        var cleaned: [VideoRemovalOptions.Mode: [Double]] = [:]
        for mode in [VideoRemovalOptions.Mode.fast, .quality] {
            let output = clip.directory.appendingPathComponent("clean-\(mode.rawValue).mkv").path
            var options = VideoRemovalOptions()
            options.encoding = .lossless
            options.mode = mode
            _ = try VideoRemover.remove(input: input, output: output, track: VideoMaskTrack(mask: clip.mask), tools: tools, options: options)
            cleaned[mode] = clip.psnrInMaskPerFrame(try clip.decode(output, tools: tools))
        }
        let fast = cleaned[.fast]!, quality = cleaned[.quality]!
        let mean = { (frames: [Double]) in frames.reduce(0, +) / Double(frames.count) }
        #expect(mean(quality) > mean(fast) + 0.5, "QUALITY \(mean(quality)) dB, FAST \(mean(fast)) dB in the mask")
        // The frames the disc crosses the mark in (x 166…306 of its path: frames 21…44, within the clip's 40).
        let crossed = (21..<clip.frames)
        #expect(crossed.allSatisfy { quality[$0] > fast[$0] - 0.5 },
                "where the disc passes: QUALITY \(crossed.map { quality[$0] }) FAST \(crossed.map { fast[$0] })")
    }

    @Test(arguments: [("yuv420p", 1, 1), ("yuv444p", 0, 0)])
    func aYUVClipIsNotConvertedOutsideTheMask(pixelFormat: String, shiftX: Int, shiftY: Int) throws {
        let input = try clip.write(named: "marked-\(pixelFormat).mp4", codec: "h264", tools: tools, pixelFormat: pixelFormat)
        let output = clip.directory.appendingPathComponent("clean-\(pixelFormat).mkv").path
        var options = VideoRemovalOptions()
        options.encoding = .lossless
        _ = try VideoRemover.remove(input: input, output: output, track: VideoMaskTrack(mask: clip.mask), tools: tools, options: options)
        let info = try VideoProbe.probe(output, tools: tools)
        #expect(info.pixelFormat == pixelFormat && info.colorSpace == "bt709" && info.colorRange == "tv")
        let chromaWidth = (clip.width + (1 << shiftX) - 1) >> shiftX, chromaHeight = (clip.height + (1 << shiftY) - 1) >> shiftY
        let before = try clip.decodeSamples(input, pixelFormat: pixelFormat, chromaWidth: chromaWidth, chromaHeight: chromaHeight, tools: tools)
        let after = try clip.decodeSamples(output, pixelFormat: pixelFormat, chromaWidth: chromaWidth, chromaHeight: chromaHeight, tools: tools)
        #expect(before.count == clip.frames && after.count == clip.frames)
        // Luma changes only under the mask; a chroma sample only where it stands for a masked pixel (its neighbours
        // included): every other sample is the decoder's, bit for bit.
        let near = clip.mask.dilated(radius: 2)
        var lumaChanged = 0, chromaChanged = 0, lumaChangedInside = 0
        for (a, b) in zip(before, after) {
            for i in 0..<(clip.width * clip.height) where a[i] != b[i] {
                if clip.mask.values[i] == 0 { lumaChanged += 1 } else { lumaChangedInside += 1 }
            }
            let plane = clip.width * clip.height
            for cy in 0..<chromaHeight {
                for cx in 0..<chromaWidth where !near[min(clip.width - 1, cx << shiftX), min(clip.height - 1, cy << shiftY)] {
                    let i = cy * chromaWidth + cx
                    if a[plane + i] != b[plane + i] || a[plane + chromaWidth * chromaHeight + i] != b[plane + chromaWidth * chromaHeight + i] {
                        chromaChanged += 1
                    }
                }
            }
        }
        #expect(lumaChanged == 0 && chromaChanged == 0)
        #expect(lumaChangedInside > clip.mask.count * clip.frames / 2)
        #expect(clip.psnrInMask(try clip.decode(output, tools: tools)) > clip.psnrInMask(try clip.decode(input, tools: tools)) + 10)
    }

    @Test func anMP4ComesBackAsH264WithItsAudioAndEveryFrame() throws {
        let input = try clip.write(named: "marked.mp4", codec: "h264", tools: tools)
        let output = clip.directory.appendingPathComponent("clean.mp4").path
        let report = try VideoRemover.remove(input: input, output: output, track: VideoMaskTrack(mask: clip.mask), tools: tools)
        let info = try VideoProbe.probe(output, tools: tools)
        #expect(info.codec == "h264" && info.audioCodec == "aac" && info.frameRate == "25/1")
        #expect(info.width == clip.width && info.height == clip.height)
        #expect(report.frames == clip.frames && info.frameCount == clip.frames)
        let cleaned = try clip.decode(output, tools: tools)
        let marked = try clip.decode(input, tools: tools)
        #expect(clip.psnrInMask(cleaned) > clip.psnrInMask(marked) + 10)
    }

    @Test func aVariableFrameRateVideoKeepsItsLengthAndItsAudioInStep() throws {
        // The second half loses every other frame (a screen recorder that fell behind): 30 frames over 1.6 s.
        let steady = try clip.write(named: "steady.mp4", codec: "h264", tools: tools)
        let variable = clip.directory.appendingPathComponent("variable.mp4").path
        try clip.run(tools.ffmpeg, ["-nostdin", "-v", "error", "-y", "-i", steady, "-vf", "select='lt(n,\(clip.frames / 2))+not(mod(n,2))'",
                                    "-fps_mode", "vfr", "-c:v", "libx264", "-crf", "18", "-c:a", "copy", variable])
        let input = try VideoProbe.probe(variable, tools: tools)
        #expect(input.isVariableFrameRate && input.frameCount == clip.frames * 3 / 4)
        let output = clip.directory.appendingPathComponent("variable-clean.mp4").path
        let report = try VideoRemover.remove(input: variable, output: output, track: VideoMaskTrack(mask: clip.mask), tools: tools)
        let result = try VideoProbe.probe(output, tools: tools)
        // Read at its base rate, frames repeated where they came late: as long as the sound (1.6 s; the last frame of
        // the original is among those dropped, so 39 frames of 1/25 s), nothing dropped.
        #expect(!result.isVariableFrameRate && result.frameRate == "25/1" && result.audioCodec == "aac")
        #expect(report.frames == clip.frames - 1 && result.frameCount == report.frames)
        #expect(abs((result.duration ?? 0) - Double(clip.frames) / 25) <= 0.04 + 1e-6)
        // The first half kept its timing: the mark is gone there.
        let cleaned = try clip.decode(output, tools: tools).prefix(clip.frames / 2)
        let marked = try clip.decode(variable, tools: tools).prefix(clip.frames / 2)
        #expect(clip.psnrInMask(Array(cleaned)) > clip.psnrInMask(Array(marked)) + 10)
    }

    @Test func brokenInputsAreRefusedWithTheirCodeAndLeaveNoOutput() throws {
        let good = try clip.write(named: "marked.mp4", codec: "h264", tools: tools)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: good))
        let truncated = clip.directory.appendingPathComponent("truncated.mp4")
        try bytes.prefix(bytes.count / 2).write(to: truncated)
        let text = clip.directory.appendingPathComponent("notes.mp4")
        try Data("not a video".utf8).write(to: text)
        let output = clip.directory.appendingPathComponent("out.mp4").path
        for path in [truncated.path, text.path] {
            #expect(throws: VideoError.self) {
                _ = try VideoRemover.remove(input: path, output: output, track: VideoMaskTrack(mask: clip.mask), tools: tools)
            }
            #expect(!FileManager.default.fileExists(atPath: output))
        }
        do {
            _ = try VideoRemover.remove(input: text.path, output: output, track: VideoMaskTrack(mask: clip.mask), tools: tools)
        } catch {
            #expect(error.code == "VIDEO_CORRUPT")
        }
        do {
            _ = try VideoRemover.remove(input: good, output: output, track: VideoMaskTrack(mask: Mask(width: 10, height: 10)), tools: tools)
            Issue.record("a mask of the wrong size was accepted")
        } catch {
            #expect(error.code == "INVALID_ARGUMENT")
        }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: clip.directory.path).filter { $0.contains("partial") || $0 == "out.mp4" }
        #expect(leftovers.isEmpty)
    }

    @Test func aPhoneVideoKeepsItsRotationAndTheMaskIsDrawnOnWhatTheUserSees() throws {
        let stored = try clip.write(named: "stored.mp4", codec: "h264", tools: tools)
        let rotated = clip.directory.appendingPathComponent("rotated.mp4").path
        try clip.run(tools.ffmpeg, ["-nostdin", "-v", "error", "-y", "-i", stored, "-c", "copy", "-metadata:s:v:0", "rotate=90", rotated])
        let info = try VideoProbe.probe(rotated, tools: tools)
        #expect(info.rotation == 90 && info.width == clip.height && info.height == clip.width)
        // The mask as the user sees the frame: the stored frame turned a quarter counter-clockwise.
        var upright = Mask(width: clip.height, height: clip.width)
        for y in 0..<clip.height { for x in 0..<clip.width where clip.mask[x, y] { upright[y, clip.width - 1 - x] = true } }
        let output = clip.directory.appendingPathComponent("rotated-clean.mp4").path
        _ = try VideoRemover.remove(input: rotated, output: output, track: VideoMaskTrack(mask: upright), tools: tools)
        let result = try VideoProbe.probe(output, tools: tools)
        #expect(result.rotation == 90 && result.codedWidth == clip.width && result.codedHeight == clip.height && result.audioCodec == "aac")
        // Stored the way the input was: the mark is gone where the fixture put it.
        let cleaned = try clip.decodeStored(output, tools: tools)
        #expect(clip.psnrInMask(cleaned) > clip.psnrInMask(try clip.decodeStored(stored, tools: tools)) + 10)
    }
}
