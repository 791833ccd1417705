/// How the result is encoded: the input's codec family at a quality that is visually lossless outside the mask (H.264
/// at CRF 16 `veryfast` re-encodes the harness's 1280x720 clips at their own bitrate, 48 dB from them), or lossless
/// (FFmpeg's HuffYUV variant `ffvhuff` in Matroska, in the frames' own format: the source's YUV, or RGB) when asked —
/// what benchmarks use so that a score is the method's, not a second lossy encode's. `ffvhuff` rather than FFV1 or UT
/// Video: exact as well, and the cheapest to write (1280x720, 80 frames of yuv420p here: 0.26 s of CPU against UT
/// Video's 0.43 s and FFV1's 1.84 s), which is what keeps a lossless run faster than real time.
public enum VideoEncoding: Sendable, Equatable {
    /// H.264 (libx264), CRF `crf`.
    case h264(crf: Int)
    /// H.265 (libx265), CRF `crf`.
    case hevc(crf: Int)
    /// VP9 (libvpx-vp9) in constant-quality mode, CRF `crf`.
    case vp9(crf: Int)
    /// `ffvhuff`: exact (the source's 8-bit planar YUV as it is, else planar RGB).
    case lossless

    /// The input's codec family (H.264 for anything without an encoder of its own here); WebM output is always VP9.
    public static func matching(_ info: VideoInfo, outputPath: String) -> VideoEncoding {
        if outputPath.lowercased().hasSuffix(".webm") { return .vp9(crf: 24) }
        switch info.codec {
        case "hevc": return .hevc(crf: 18)
        case "vp9", "vp8", "av1": return outputPath.lowercased().hasSuffix(".mp4") ? .h264(crf: 16) : .vp9(crf: 24)
        default: return .h264(crf: 16)
        }
    }

    /// ffmpeg arguments for the video stream (after the inputs and maps) of a result of `source` whose frames arrive as
    /// `frames`. The source's own YUV goes to the encoder as it is; RGB goes back to YUV with the matrix and range
    /// `source` was read with. The result carries `source`'s colour tags (none when it had none), so its colours are
    /// the input's for any player. `firstFilters` (e.g. a rotation, ending in a comma) run first.
    func arguments(firstFilters: String = "", source: VideoInfo, frames: FrameFormat = .rgb) -> [String] {
        let filters: String, pixelFormat: String
        switch frames {
        case .yuv(let layout):
            filters = String(firstFilters.dropLast())
            pixelFormat = layout.pixelFormat
        case .rgb:
            let (matrix, range) = FrameReader.yuvConversion(source) ?? ("bt709", "tv")
            filters = firstFilters + "scale=out_color_matrix=\(matrix):out_range=\(range):flags=\(FrameReader.scaleFlags),format=yuv420p"
            pixelFormat = "yuv420p"
        }
        let filter = filters.isEmpty ? [] : ["-vf", filters]
        var tags: [String] = []
        for (option, value) in [("-colorspace", source.colorSpace), ("-color_primaries", source.colorPrimaries), ("-color_trc", source.colorTransfer)]
        where value != "unknown" && !value.isEmpty {
            tags += [option, value]
        }
        if source.colorRange != "unknown" && !source.colorRange.isEmpty { tags += ["-color_range", source.colorRange] }
        switch self {
        case .h264(let crf):
            return filter + ["-c:v", "libx264", "-preset", "veryfast", "-crf", "\(crf)", "-pix_fmt", pixelFormat] + tags
        case .hevc(let crf):
            return filter + ["-c:v", "libx265", "-preset", "fast", "-crf", "\(crf)", "-pix_fmt", pixelFormat,
                             "-x265-params", "log-level=error", "-tag:v", "hvc1"] + tags
        case .vp9(let crf):
            return filter + ["-c:v", "libvpx-vp9", "-crf", "\(crf)", "-b:v", "0", "-deadline", "good",
                             "-cpu-used", "4", "-row-mt", "1", "-pix_fmt", pixelFormat] + tags
        case .lossless:
            // RGB frames stay RGB; YUV frames are stored as they come.
            let rotate = firstFilters.isEmpty ? [] : ["-vf", String(firstFilters.dropLast())]
            if case .yuv(let layout) = frames { return rotate + ["-c:v", "ffvhuff", "-pix_fmt", layout.pixelFormat] + tags }
            return rotate + ["-c:v", "ffvhuff", "-pix_fmt", "gbrp"]
        }
    }
}
