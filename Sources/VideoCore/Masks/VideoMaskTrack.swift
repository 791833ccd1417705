import Foundation
import InpaintCore

/// Which pixels to clean in which frames: one mask for the whole video, or frame ranges each with its own mask
/// (marks that jump between corners). Frames outside every range are left as they are.
public struct VideoMaskTrack: Sendable {
    /// Frames `[start, end)` (end nil: to the last frame) cleaned under `mask`.
    public struct Span: Sendable {
        /// First frame (0-based).
        public var start: Int
        /// One past the last frame, nil for "to the end".
        public var end: Int?
        /// The pixels to clean, at the video's (upright) frame size.
        public var mask: Mask

        /// Whether `frame` is in the span.
        public func contains(_ frame: Int) -> Bool { frame >= start && (end.map { frame < $0 } ?? true) }
    }

    /// The spans, sorted by start; they do not overlap.
    public private(set) var spans: [Span]

    /// One mask for every frame.
    public init(mask: Mask) {
        spans = [Span(start: 0, end: nil, mask: mask)]
    }

    /// Spans as given; overlapping spans are refused.
    public init(spans: [Span]) throws(VideoError) {
        let sorted = spans.sorted { $0.start < $1.start }
        for (a, b) in zip(sorted, sorted.dropFirst()) where (a.end ?? Int.max) > b.start {
            throw .invalidArgument("mask ranges overlap: frames from \(b.start) are in two ranges")
        }
        for span in sorted where span.start < 0 || (span.end.map { $0 <= span.start } ?? false) {
            throw .invalidArgument("mask range \(span.start)..<\(span.end ?? -1) is empty or negative")
        }
        self.spans = sorted
    }

    /// Index of the span that covers `frame`, if any.
    public func span(at frame: Int) -> Int? { spans.firstIndex { $0.contains(frame) } }

    /// Reads a mask track: `{"intervals": [{"start_frame": 0, "end_frame": 28, "mask_png": "a.png"}, …]}` (or
    /// `t_start`/`t_end` in seconds instead of frames), mask paths relative to the JSON file, every mask at the
    /// video's frame size.
    public static func read(path: String, width: Int, height: Int, framesPerSecond: Double, threshold: UInt8 = 128) throws(VideoError) -> VideoMaskTrack {
        guard let data = FileManager.default.contents(atPath: path),
              let document = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let intervals = document["intervals"] as? [[String: Any]], !intervals.isEmpty
        else { throw .invalidArgument("\(path): not a mask track (a JSON object with a non-empty \"intervals\" array)") }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        var spans: [Span] = []
        for (n, interval) in intervals.enumerated() {
            func frame(_ frameKey: String, _ timeKey: String) -> Int? {
                if let f = interval[frameKey] as? Int { return f }
                if let t = interval[timeKey] as? Double { return Int((t * framesPerSecond).rounded()) }
                return nil
            }
            guard let start = frame("start_frame", "t_start"), let file = interval["mask_png"] as? String else {
                throw .invalidArgument("\(path): interval \(n) needs start_frame (or t_start) and mask_png")
            }
            let maskPath = file.hasPrefix("/") ? file : folder.appendingPathComponent(file).path
            let mask: Mask
            do { mask = try Mask.read(path: maskPath, threshold: threshold) } catch { throw VideoError(error) }
            guard mask.width == width, mask.height == height else {
                throw .invalidArgument("\(maskPath): mask is \(mask.width)x\(mask.height), the video \(width)x\(height)")
            }
            spans.append(Span(start: start, end: frame("end_frame", "t_end"), mask: mask))
        }
        return try VideoMaskTrack(spans: spans)
    }
}
