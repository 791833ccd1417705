import Foundation

/// Reads a file's streams with `ffprobe` (header only: nothing is decoded) into a `VideoInfo`.
public enum VideoProbe {
    /// Probes `path`; a file FFmpeg cannot open, or one without a video stream, is `videoCorrupt`.
    public static func probe(_ path: String, tools: FFmpegTools) throws(VideoError) -> VideoInfo {
        guard FileManager.default.isReadableFile(atPath: path) else { throw .invalidArgument("\(path): cannot read the file") }
        let result: (status: Int32, output: Data, errorTail: String)
        do {
            result = try ChildProcess.run(executable: tools.ffprobe, arguments: [
                "-v", "error", "-show_entries",
                "stream=codec_type,codec_name,width,height,pix_fmt,color_space,color_range,r_frame_rate,nb_frames,duration:stream_tags=rotate:stream_side_data=rotation:format=format_name,duration",
                "-of", "json", path,
            ])
        } catch {
            throw .ffmpegUnavailable("cannot run \(tools.ffprobe): \(error)")
        }
        guard result.status == 0 else { throw .videoCorrupt("\(path): FFmpeg cannot read it as a video (\(result.errorTail))") }
        guard let document = try? JSONSerialization.jsonObject(with: result.output) as? [String: Any] else {
            throw .videoCorrupt("\(path): ffprobe gave no description")
        }
        let streams = document["streams"] as? [[String: Any]] ?? []
        let format = document["format"] as? [String: Any] ?? [:]
        guard let video = streams.first(where: { $0["codec_type"] as? String == "video" }),
              let width = video["width"] as? Int, let height = video["height"] as? Int, width > 0, height > 0
        else { throw .videoCorrupt("\(path): no video stream") }
        let audio = streams.first { $0["codec_type"] as? String == "audio" }
        return VideoInfo(
            formatName: format["format_name"] as? String ?? "",
            codec: video["codec_name"] as? String ?? "",
            codedWidth: width, codedHeight: height,
            pixelFormat: video["pix_fmt"] as? String ?? "",
            colorSpace: video["color_space"] as? String ?? "unknown",
            colorRange: video["color_range"] as? String ?? "unknown",
            frameRate: video["r_frame_rate"] as? String ?? "0/1",
            frameCount: (video["nb_frames"] as? String).flatMap { Int($0) },
            duration: (video["duration"] as? String).flatMap { Double($0) } ?? (format["duration"] as? String).flatMap { Double($0) },
            rotation: rotation(of: video),
            audioCodec: audio?["codec_name"] as? String)
    }

    /// Rotation from the display matrix side data (FFmpeg ≥ 5) or the legacy `rotate` tag, as 0/90/180/270.
    private static func rotation(of stream: [String: Any]) -> Int {
        var degrees = 0.0
        if let sideData = stream["side_data_list"] as? [[String: Any]],
           let value = sideData.lazy.compactMap({ $0["rotation"] as? Double ?? ($0["rotation"] as? Int).map(Double.init) }).first {
            degrees = value
        } else if let tags = stream["tags"] as? [String: Any], let text = tags["rotate"] as? String, let value = Double(text) {
            degrees = -value
        }
        let quarter = Int((degrees / 90).rounded())
        return ((quarter % 4) + 4) % 4 * 90
    }
}
