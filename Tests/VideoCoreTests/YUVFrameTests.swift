import InpaintCore
import Testing
@testable import VideoCore

/// A region of a planar YUV frame turned into RGB and written back (`YUVFrame`): what the removal does to each frame of
/// an ordinary video instead of converting the whole picture.
@Suite struct YUVFrameTests {
    let matrix = YUVMatrix(matrix: "bt709", range: "tv")

    /// A 4:2:0 frame with smooth, saturated content (limited range samples).
    func frame(width: Int = 37, height: Int = 23) -> YUVFrame {
        let layout = PlanarYUVLayout(VideoInfo(formatName: "matroska", codec: "h264", codedWidth: width, codedHeight: height,
                                               pixelFormat: "yuv420p", colorSpace: "bt709", colorRange: "tv",
                                               frameRate: "25/1", rotation: 0))!
        var bytes = [UInt8](repeating: 0, count: layout.frameBytes)
        for y in 0..<height { for x in 0..<width { bytes[y * width + x] = UInt8(16 + (x * 7 + y * 5) % 219) } }
        for i in 0..<(layout.chromaWidth * layout.chromaHeight) {
            bytes[layout.cbOffset + i] = UInt8(40 + (i * 13) % 180)
            bytes[layout.crOffset + i] = UInt8(200 - (i * 11) % 170)
        }
        return YUVFrame(layout: layout, bytes: bytes)
    }

    @Test func writingBackWhatWasReadChangesNoSample() {
        var yuv = frame()
        let before = yuv.bytes
        let region = PixelRegion(x: 3, y: 5, width: 17, height: 9)
        let rgb = yuv.rgb(in: region, matrix: matrix)
        yuv.replace(region, original: rgb, cleaned: rgb, matrix: matrix)
        #expect(yuv.bytes == before)
    }

    @Test func aChangedPixelRewritesItsLumaAndOnlyTheChromaSamplesThatStandForIt() {
        var yuv = frame()
        let before = yuv.bytes
        let layout = yuv.layout
        let region = PixelRegion(x: 5, y: 4, width: 12, height: 10)   // odd left edge: chroma is shared with pixels outside
        let original = yuv.rgb(in: region, matrix: matrix)
        var cleaned = original
        let target: [UInt8] = [200, 40, 90]
        // Pixels (8…15, 6…11) of the frame take one colour.
        for y in 6..<12 { for x in 8..<16 { for c in 0..<3 { cleaned[x - region.x, y - region.y, c] = target[c] } } }
        yuv.replace(region, original: original, cleaned: cleaned, matrix: matrix)
        for y in 0..<layout.height {
            for x in 0..<layout.width {
                let inside = (8..<16).contains(x) && (6..<12).contains(y)
                #expect((yuv.bytes[y * layout.width + x] != before[y * layout.width + x]) == inside, "luma at \(x),\(y)")
            }
        }
        // Chroma sample cx stands for columns 2cx-1…2cx+1, cy for rows 2cy…2cy+1.
        for cy in 0..<layout.chromaHeight {
            for cx in 0..<layout.chromaWidth {
                let standsForChange = (2 * cx + 1 >= 8 && 2 * cx - 1 < 16) && (2 * cy + 1 >= 6 && 2 * cy < 12)
                let i = cy * layout.chromaWidth + cx
                if !standsForChange {
                    #expect(yuv.bytes[layout.cbOffset + i] == before[layout.cbOffset + i], "Cb at \(cx),\(cy)")
                    #expect(yuv.bytes[layout.crOffset + i] == before[layout.crOffset + i], "Cr at \(cx),\(cy)")
                }
            }
        }
        // Pixels whose chroma is interpolated only from samples that stand for changed pixels read back as the colour.
        let back = yuv.rgb(in: PixelRegion(x: 10, y: 8, width: 4, height: 3), matrix: matrix)
        for p in 0..<(back.width * back.height) {
            for c in 0..<3 { #expect(abs(Int(back.pixels[p * 3 + c]) - Int(target[c])) <= 4, "channel \(c): \(back.pixels[p * 3 + c])") }
        }
    }

    @Test(arguments: ["bt601", "bt709", "bt2020"], ["tv", "pc"])
    func coloursSurviveTheMatrix(name: String, range: String) {
        let matrix = YUVMatrix(matrix: name, range: range)
        for colour: (Float, Float, Float) in [(0, 0, 0), (255, 255, 255), (200, 40, 90), (12, 180, 250), (128, 128, 128)] {
            let (cb, cr) = matrix.chroma(r: colour.0, g: colour.1, b: colour.2)
            let y = matrix.luma(r: colour.0, g: colour.1, b: colour.2)
            let (r, g, b) = matrix.rgb(y: y, cb: cb.rounded(), cr: cr.rounded())
            #expect(abs(r - colour.0) < 2.5 && abs(g - colour.1) < 2.5 && abs(b - colour.2) < 2.5, "\(name) \(range) \(colour) -> \(r) \(g) \(b)")
        }
    }
}
