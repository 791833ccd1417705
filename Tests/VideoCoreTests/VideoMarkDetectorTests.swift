import InpaintCore
import Testing
@testable import VideoCore

/// `VideoMarkDetector` on the fixture's clip: a static mark over moving content is found, the same clip without it is
/// not mistaken for one.
@Suite struct VideoMarkDetectorTests {
    @Test func aStaticMarkOverMovingContentIsFoundAndACleanClipAsksForAMask() throws {
        let tools = try FFmpegTools.locate()
        let clip = try VideoClipFixture()
        defer { clip.removeFiles() }
        let marked = try clip.write(named: "marked.mp4", codec: "h264", tools: tools)
        guard case .mask(let found, _, _) = try VideoMarkDetector.detect(input: marked, tools: tools) else {
            Issue.record("the mark was not found")
            return
        }
        #expect(found.iou(clip.mask) > 0.5, "IoU \(found.iou(clip.mask))")
        let clean = try clip.write(named: "clean.mp4", codec: "h264", tools: tools, marked: false)
        let outcome = try VideoMarkDetector.detect(input: clean, tools: tools)
        #expect(outcome.mask == nil, "a mark was found in a clip without one")
    }
}
