import Foundation
import InpaintCore
import VideoCore

/// A small clip made for the tests: panning texture with a disc crossing it, a semi-transparent bar mark at a fixed
/// place (or one that jumps to the top left corner at `jumpFrame`), a sine tone as audio. The clean frames are kept (the clip is small), so results can be scored exactly.
struct VideoClipFixture {
    let width = 320, height = 180, frames = 40
    let opacity: Float
    let colour: (Float, Float, Float) = (235, 235, 235)
    let directory: URL
    /// Clean frames.
    let truth: [PixelImage]
    /// The mark's footprint dilated by 2 px: what a user would paint.
    let mask: Mask
    let matte: WatermarkMatte
    /// From this frame on the mark is in the top left corner (`jumpedMask`, `jumpedMatte`), when set.
    let jumpFrame: Int?
    let jumpedMask: Mask
    let jumpedMatte: WatermarkMatte
    /// Where the mark's corner-placed copy sits relative to its first place.
    static let jump = (x: -164, y: -118)

    /// `opacity` 1 makes the mark opaque: nothing of what is under it survives in the frame.
    init(opacity: Float = 0.45, jumpFrame: Int? = nil) throws {
        self.opacity = opacity
        self.jumpFrame = jumpFrame
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("video-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var alpha = [Float](repeating: 0, count: width * height)
        for g in 0..<7 {
            let gx = 180 + g * 16
            for y in 130..<160 { for x in gx..<(gx + 7) { alpha[y * width + x] = opacity } }
            for y in 130..<137 { for x in gx..<(gx + 13) { alpha[y * width + x] = opacity } }
        }
        matte = WatermarkMatte(width: width, height: height, alpha: alpha, uniformColor: colour)
        var footprint = Mask(width: width, height: height, values: alpha.map { $0 > 0 ? 1 : 0 })
        footprint = footprint.dilated(radius: 2)
        mask = footprint
        var jumped = [Float](repeating: 0, count: width * height)
        for y in 0..<height {
            for x in 0..<width where alpha[y * width + x] > 0 { jumped[(y + Self.jump.y) * width + x + Self.jump.x] = alpha[y * width + x] }
        }
        jumpedMatte = WatermarkMatte(width: width, height: height, alpha: jumped, uniformColor: colour)
        jumpedMask = Mask(width: width, height: height, values: jumped.map { $0 > 0 ? 1 : 0 }).dilated(radius: 2)
        truth = (0..<frames).map { Self.content(width: 320, height: 180, frame: $0) }
    }

    /// Smooth texture panning 2 px right and 1 px down per frame, with a dark disc crossing the mark.
    static func content(width: Int, height: Int, frame t: Int) -> PixelImage {
        var image = PixelImage(width: width, height: height, channels: 3)
        let cx = Float(40 + t * 6), cy: Float = 145
        for y in 0..<height {
            for x in 0..<width {
                let u = Float(x + 2 * t), v = Float(y + t)
                let base = 0.5 + 0.25 * sin(u * 0.07) * cos(v * 0.05) + 0.15 * sin((u + v) * 0.13) + 0.08 * cos(u * 0.31 - v * 0.17)
                let inDisc = (Float(x) - cx) * (Float(x) - cx) + (Float(y) - cy) * (Float(y) - cy) < 14 * 14
                let r = inDisc ? 0.15 : base, g = inDisc ? 0.1 : 0.3 + 0.6 * base * base, b = inDisc ? 0.4 : 0.9 - 0.6 * base
                image[x, y, 0] = UInt8(max(0, min(255, r * 255)))
                image[x, y, 1] = UInt8(max(0, min(255, g * 255)))
                image[x, y, 2] = UInt8(max(0, min(255, b * 255)))
            }
        }
        return image
    }

    /// Writes the watermarked clip (or the clean one) with a sine tone: `codec` "ffv1" (Matroska, exact RGB) or "h264"
    /// (MP4 + AAC, in `pixelFormat`, at `crf`).
    func write(named name: String, codec: String, tools: FFmpegTools, marked: Bool = true, pixelFormat: String = "yuv420p",
               crf: Int = 18) throws -> String {
        let raw = directory.appendingPathComponent("\(name).rgb")
        var bytes = Data()
        for (index, frame) in truth.enumerated() {
            let current = jumpFrame.map { index >= $0 } == true ? jumpedMatte : matte
            bytes.append(contentsOf: (marked ? current.apply(to: frame) : frame).pixels)
        }
        try bytes.write(to: raw)
        let out = directory.appendingPathComponent(name).path
        let video = codec == "ffv1" ? ["-c:v", "ffv1", "-pix_fmt", "bgr0", "-c:a", "flac"]
            : ["-c:v", "libx264", "-crf", "\(crf)", "-pix_fmt", pixelFormat, "-colorspace", "bt709", "-color_primaries", "bt709",
               "-color_trc", "bt709", "-color_range", "tv", "-vf", "scale=out_color_matrix=bt709:out_range=tv", "-c:a", "aac"]
        try run(tools.ffmpeg, ["-nostdin", "-v", "error", "-y", "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", "\(width)x\(height)",
                               "-r", "25", "-i", raw.path, "-f", "lavfi", "-i", "sine=frequency=440:duration=1.6",
                               "-map", "0:v", "-map", "1:a"] + video + [out])
        return out
    }

    /// Decodes a video's frames to RGB (BT.709 limited for YUV).
    func decode(_ path: String, tools: FFmpegTools) throws -> [PixelImage] {
        try decode(path, tools: tools, options: [])
    }

    /// Decodes the frames as stored, not turned by the rotation metadata.
    func decodeStored(_ path: String, tools: FFmpegTools) throws -> [PixelImage] {
        try decode(path, tools: tools, options: ["-noautorotate"])
    }

    private func decode(_ path: String, tools: FFmpegTools, options: [String]) throws -> [PixelImage] {
        let size = width * height * 3
        return try raw(path, tools: tools, arguments: options + ["-i", path, "-fps_mode", "passthrough", "-vf",
                       "scale=in_color_matrix=bt709:in_range=tv:flags=bicubic+accurate_rnd+full_chroma_int+full_chroma_inp+bitexact,format=rgb24",
                       "-f", "rawvideo", "-pix_fmt", "rgb24", "-"], frameBytes: size).map {
            PixelImage(width: width, height: height, channels: 3, pixels: $0)
        }
    }

    /// Decodes the frames as the decoder gives them, in `pixelFormat` (planar YUV: Y, then Cb, then Cr), nothing
    /// converted.
    func decodeSamples(_ path: String, pixelFormat: String, chromaWidth: Int, chromaHeight: Int, tools: FFmpegTools) throws -> [[UInt8]] {
        try raw(path, tools: tools, arguments: ["-i", path, "-fps_mode", "passthrough", "-f", "rawvideo", "-pix_fmt", pixelFormat, "-"],
                frameBytes: width * height + 2 * chromaWidth * chromaHeight)
    }

    private func raw(_ path: String, tools: FFmpegTools, arguments: [String], frameBytes size: Int) throws -> [[UInt8]] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tools.ffmpeg)
        process.arguments = ["-nostdin", "-v", "error"] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return stride(from: 0, to: data.count - size + 1, by: size).map { [UInt8](data[$0..<($0 + size)]) }
    }

    /// Deletes the clip's directory.
    func removeFiles() { try? FileManager.default.removeItem(at: directory) }

    func run(_ executable: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        try process.run()
        process.waitUntilExit()
        if process.terminationStatus != 0 { throw FixtureError.commandFailed(([executable] + arguments).joined(separator: " ")) }
    }

    /// PSNR over the mask's pixels, averaged over frames.
    func psnrInMask(_ frames: [PixelImage]) -> Double {
        let each = psnrInMaskPerFrame(frames)
        return each.reduce(0, +) / Double(each.count)
    }

    /// PSNR over the mask's pixels of each frame.
    func psnrInMaskPerFrame(_ frames: [PixelImage]) -> [Double] {
        zip(frames, truth).map { frame, clean in
            var sum = 0.0, count = 0.0
            for i in 0..<(width * height) where mask.values[i] != 0 {
                for c in 0..<3 {
                    let d = Double(frame.pixels[i * 3 + c]) - Double(clean.pixels[i * 3 + c])
                    sum += d * d; count += 1
                }
            }
            return 10 * log10(255 * 255 / max(sum / count, 1e-10))
        }
    }

    enum FixtureError: Error { case commandFailed(String) }
}
