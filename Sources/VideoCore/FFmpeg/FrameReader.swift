import InpaintCore

/// Decodes a video's frames one at a time (`ffmpeg … -f rawvideo -`): memory holds one frame whatever the video's
/// length. Frames come as the stream's own planar YUV (`FrameFormat.yuv`, nothing converted) or as 8-bit RGB
/// (`.rgb`: YUV converted with the matrix and range the stream is tagged with; untagged: BT.709 limited range, what
/// cameras and phones write). Rotated frames come out upright.
final class FrameReader {
    private let child: ChildProcess
    private let frameBytes: Int
    private var buffer: [UInt8]
    /// Frames read so far.
    private(set) var framesRead = 0

    /// swscale flags: exact rounding and full chroma, the same conventions as the benchmark harness.
    static let scaleFlags = "bicubic+accurate_rnd+full_chroma_int+full_chroma_inp+bitexact"

    /// Frames of the whole picture, or only of `crop` (what the estimation pass reads). A crop must have even
    /// coordinates and size when the video's chroma is subsampled.
    init(path: String, info: VideoInfo, tools: FFmpegTools, crop: PixelRegion? = nil, format: FrameFormat = .rgb,
         stallTimeout: Duration = ChildProcess.defaultStallTimeout, memoryLimit: Int? = ChildProcess.defaultMemoryLimit) throws(VideoError) {
        frameBytes = format.frameBytes(width: crop?.width ?? info.width, height: crop?.height ?? info.height)
        buffer = [UInt8](repeating: 0, count: frameBytes)
        var filters = crop.map { ["crop=w=\($0.width):h=\($0.height):x=\($0.x):y=\($0.y):exact=1"] } ?? []
        if format == .rgb { filters.append(Self.toRGBFilter(info)) }
        do {
            child = try ChildProcess(executable: tools.ffmpeg, arguments: [
                "-nostdin", "-v", "error", "-i", path, "-map", "0:v:0",
            ] + (info.isVariableFrameRate ? ["-fps_mode", "cfr", "-r", info.steadyFrameRate] : ["-fps_mode", "passthrough"])
              + (filters.isEmpty ? [] : ["-vf", filters.joined(separator: ",")]) + [
                "-f", "rawvideo", "-pix_fmt", format.pixelFormat, "-",
            ], readOutput: true, writeInput: false, stallTimeout: stallTimeout, memoryLimit: memoryLimit)
        } catch {
            throw .ffmpegUnavailable("cannot run \(tools.ffmpeg): \(error)")
        }
    }

    /// The next frame, or nil after the last one; a decoder that fails or stops part-way through a frame throws
    /// `videoCorrupt`.
    func next() throws(VideoError) -> [UInt8]? {
        let complete: Bool
        do {
            complete = try child.readExactly(frameBytes, into: &buffer)
        } catch ChildProcessError.stalled(let seconds) {
            _ = child.finish()
            throw .videoCorrupt("the decoder produced nothing for \(seconds) s at frame \(framesRead + 1) and was stopped")
        } catch {
            let tail = child.finish().errorTail
            throw .videoCorrupt("the video ends in the middle of frame \(framesRead + 1) (\(tail))")
        }
        guard complete else {
            let result = child.finish()
            if result.status != 0 {
                throw .videoCorrupt("decoding stopped after \(framesRead) frames: \(result.errorTail)")
            }
            if framesRead == 0 { throw .videoCorrupt("the video has no frames") }
            return nil
        }
        framesRead += 1
        return buffer
    }

    /// Stops decoding early.
    func cancel() { child.kill() }

    /// The filter chain that turns this stream into rgb24.
    static func toRGBFilter(_ info: VideoInfo) -> String {
        guard let (matrix, range) = yuvConversion(info) else { return "scale=flags=\(scaleFlags),format=rgb24" }
        return "scale=in_color_matrix=\(matrix):in_range=\(range):flags=\(scaleFlags),format=rgb24"
    }

    /// The swscale matrix and range this stream's YUV is read with (and written back with: the result's colours are
    /// the input's, whatever a player assumes of them); nil for RGB and grey streams.
    static func yuvConversion(_ info: VideoInfo) -> (matrix: String, range: String)? {
        let format = info.pixelFormat
        if format.hasPrefix("rgb") || format.hasPrefix("bgr") || format.hasPrefix("gbr") || format.hasPrefix("argb")
            || format.hasPrefix("abgr") || format.hasPrefix("gray") || format.hasPrefix("ya") || format.hasPrefix("pal") {
            return nil
        }
        let matrix = switch info.colorSpace {
        case "smpte170m", "bt470bg": "bt601"
        case "bt2020nc", "bt2020c": "bt2020"
        case "smpte240m": "smpte240m"
        case "fcc": "fcc"
        default: "bt709"
        }
        let full = info.colorRange == "pc" || info.colorRange == "jpeg" || format.hasPrefix("yuvj")
        return (matrix, full ? "pc" : "tv")
    }
}
