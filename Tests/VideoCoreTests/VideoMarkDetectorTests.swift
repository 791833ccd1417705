import InpaintCore
import Testing
@testable import VideoCore

/// `VideoMarkDetector` on the fixture's clip: a static mark over moving content is found, a mark that jumps to another
/// corner is found in both places with the frame it jumped at, the same clip without a mark is not mistaken for one.
@Suite struct VideoMarkDetectorTests {
    @Test func aStaticMarkOverMovingContentIsFoundAndACleanClipAsksForAMask() throws {
        let tools = try FFmpegTools.locate()
        let clip = try VideoClipFixture()
        defer { clip.removeFiles() }
        let marked = try clip.write(named: "marked.mp4", codec: "h264", tools: tools)
        guard case .staticMark(let found, _, _) = try VideoMarkDetector.detect(input: marked, tools: tools) else {
            Issue.record("the mark was not found")
            return
        }
        #expect(found.iou(clip.mask) > 0.5, "IoU \(found.iou(clip.mask))")
        let clean = try clip.write(named: "clean.mp4", codec: "h264", tools: tools, marked: false)
        let outcome = try VideoMarkDetector.detect(input: clean, tools: tools)
        #expect(outcome.track == nil, "a mark was found in a clip without one")
    }

    @Test func aMarkThatJumpsIsFoundInBothPlacesWithTheFrameItJumpedAt() throws {
        let tools = try FFmpegTools.locate()
        let clip = try VideoClipFixture(jumpFrame: 22)
        defer { clip.removeFiles() }
        let marked = try clip.write(named: "jumping.mp4", codec: "h264", tools: tools)
        guard case .movingMark(let track, let jumps, _) = try VideoMarkDetector.detect(input: marked, tools: tools) else {
            Issue.record("the jumping mark was not found")
            return
        }
        #expect(jumps == 1)
        try #require(track.spans.count == 2, "\(track.spans.map { ($0.start, $0.end) })")
        #expect(track.spans[0].start == 0 && track.spans[0].end == 22 && track.spans[1].start == 22)
        #expect(track.spans[1].end.map { $0 >= clip.frames } ?? true)
        #expect(track.spans[0].mask.iou(clip.mask) > 0.5, "IoU before the jump \(track.spans[0].mask.iou(clip.mask))")
        #expect(track.spans[1].mask.iou(clip.jumpedMask) > 0.5, "IoU after the jump \(track.spans[1].mask.iou(clip.jumpedMask))")
    }
}
