import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

/// Reads a file's streams with `ffprobe` (header only: nothing is decoded) into a `VideoInfo`.
public enum VideoProbe {
    /// Probes `path`; a file FFmpeg cannot open, or one without a video stream, is `videoCorrupt`.
    public static func probe(_ path: String, tools: FFmpegTools) throws(VideoError) -> VideoInfo {
        guard access(path, R_OK) == 0 else { throw .invalidArgument("\(path): cannot read the file") }
        let result: (status: Int32, output: [UInt8], errorTail: String)
        do {
            result = try ChildProcess.run(executable: tools.ffprobe, arguments: [
                "-v", "error", "-show_entries",
                "stream=codec_type,codec_name,width,height,pix_fmt,color_space,color_range,color_primaries,color_transfer,r_frame_rate,avg_frame_rate,nb_frames,duration:stream_tags=rotate:stream_side_data=rotation:format=format_name,duration",
                "-of", "json", path,
            ])
        } catch ChildProcessError.stalled(let seconds) {
            throw .videoCorrupt("\(path): reading its header took more than \(seconds) s")
        } catch {
            throw .ffmpegUnavailable("cannot run \(tools.ffprobe): \(error)")
        }
        guard result.status == 0 else { throw .videoCorrupt("\(path): FFmpeg cannot read it as a video (\(result.errorTail))") }
        guard let document = try? JSONDecoder().decode(Document.self, from: Data(result.output)) else {
            throw .videoCorrupt("\(path): ffprobe gave no description")
        }
        guard let video = document.streams?.first(where: { $0.codec_type == "video" }),
              let width = video.width, let height = video.height, width > 0, height > 0
        else { throw .videoCorrupt("\(path): no video stream") }
        let audio = document.streams?.first { $0.codec_type == "audio" }
        return VideoInfo(
            formatName: document.format?.format_name ?? "",
            codec: video.codec_name ?? "",
            codedWidth: width, codedHeight: height,
            pixelFormat: video.pix_fmt ?? "",
            colorSpace: video.color_space ?? "unknown",
            colorRange: video.color_range ?? "unknown",
            colorPrimaries: video.color_primaries ?? "unknown",
            colorTransfer: video.color_transfer ?? "unknown",
            frameRate: video.r_frame_rate ?? "0/1",
            averageFrameRate: video.avg_frame_rate ?? "0/0",
            frameCount: video.nb_frames.flatMap { Int($0) },
            duration: video.duration.flatMap { Double($0) } ?? document.format?.duration.flatMap { Double($0) },
            rotation: rotation(of: video),
            audioCodec: audio?.codec_name)
    }

    /// Rotation from the display matrix side data (FFmpeg ≥ 5) or the legacy `rotate` tag, as 0/90/180/270.
    private static func rotation(of stream: Stream) -> Int {
        var degrees = 0.0
        if let value = stream.side_data_list?.lazy.compactMap(\.rotation).first {
            degrees = value
        } else if let text = stream.tags?["rotate"], let value = Double(text) {
            degrees = -value
        }
        let quarter = Int((degrees / 90).rounded())
        return ((quarter % 4) + 4) % 4 * 90
    }

    /// ffprobe's JSON (the fields asked for; names as ffprobe writes them).
    private struct Document: Decodable {
        var streams: [Stream]?
        var format: Format?
    }

    private struct Stream: Decodable {
        var codec_type: String?
        var codec_name: String?
        var width: Int?
        var height: Int?
        var pix_fmt: String?
        var color_space: String?
        var color_range: String?
        var color_primaries: String?
        var color_transfer: String?
        var r_frame_rate: String?
        var avg_frame_rate: String?
        var nb_frames: String?
        var duration: String?
        var tags: [String: String]?
        var side_data_list: [SideData]?
    }

    private struct SideData: Decodable {
        var rotation: Double?
    }

    private struct Format: Decodable {
        var format_name: String?
        var duration: String?
    }
}
