import FoundationEssentials
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

        public init(start: Int, end: Int?, mask: Mask) {
            self.start = start
            self.end = end
            self.mask = mask
        }

        /// Whether `frame` is in the span.
        public func contains(_ frame: Int) -> Bool { frame >= start && (end.map { frame < $0 } ?? true) }
    }

    /// The spans, sorted by start; they do not overlap.
    public private(set) var spans: [Span]

    /// One mask for every frame.
    public init(mask: Mask) {
        spans = [Span(start: 0, end: nil, mask: mask)]
    }

    /// Spans as given; none, or overlapping ones, are refused.
    public init(spans: [Span]) throws(VideoError) {
        guard !spans.isEmpty else { throw .invalidArgument("a mask track needs at least one range") }
        let sorted = spans.sorted { $0.start < $1.start }
        for (a, b) in zip(sorted, sorted.dropFirst()) where (a.end ?? Int.max) > b.start {
            throw .invalidArgument("mask ranges overlap: frames from \(b.start) are in two ranges")
        }
        for span in sorted where span.start < 0 || (span.end.map { $0 <= span.start } ?? false) {
            throw .invalidArgument("mask range \(span.start)..<\(span.end ?? -1) is empty or negative")
        }
        self.spans = sorted
    }

    /// Every span's mask grown by `radius` pixels.
    public func dilated(radius: Int) throws(VideoError) -> VideoMaskTrack {
        try VideoMaskTrack(spans: spans.map { Span(start: $0.start, end: $0.end, mask: $0.mask.dilated(radius: radius)) })
    }

    /// The pixels any span cleans.
    public var union: Mask { spans.dropFirst().reduce(spans[0].mask) { $0.union($1.mask) } }

    /// Index of the span that covers `frame`, if any.
    public func span(at frame: Int) -> Int? { spans.firstIndex { $0.contains(frame) } }

    /// Reads a mask track: `{"intervals": [{"start_frame": 0, "end_frame": 28, "mask_png": "a.png"}, …]}` (or
    /// `t_start`/`t_end` in seconds instead of frames), mask paths relative to the JSON file, every mask at the
    /// video's frame size.
    public static func read(path: String, width: Int, height: Int, framesPerSecond: Double, threshold: UInt8 = 128) throws(VideoError) -> VideoMaskTrack {
        let document: TrackDocument
        do {
            let data = try Data(contentsOf: URL(filePath: path))
            document = try JSONDecoder().decode(TrackDocument.self, from: data)
        } catch {
            throw .invalidArgument("\(path): not a mask track (a JSON object with an \"intervals\" array): \(error)")
        }
        guard !document.intervals.isEmpty else { throw .invalidArgument("\(path): the mask track has no intervals") }
        let slash = path.lastIndex(of: "/")
        let folder = slash.map { String(path[...$0]) } ?? ""
        var spans: [Span] = []
        for (n, interval) in document.intervals.enumerated() {
            func frame(_ index: Int?, _ seconds: Double?) -> Int? {
                index ?? seconds.map { Int(($0 * framesPerSecond).rounded()) }
            }
            guard let start = frame(interval.start_frame, interval.t_start) else {
                throw .invalidArgument("\(path): interval \(n) needs start_frame (or t_start)")
            }
            let maskPath = interval.mask_png.hasPrefix("/") ? interval.mask_png : folder + interval.mask_png
            let mask: Mask
            do { mask = try Mask.read(path: maskPath, threshold: threshold) } catch { throw VideoError(error) }
            guard mask.width == width, mask.height == height else {
                throw .invalidArgument("\(maskPath): mask is \(mask.width)x\(mask.height), the video \(width)x\(height)")
            }
            spans.append(Span(start: start, end: frame(interval.end_frame, interval.t_end), mask: mask))
        }
        return try VideoMaskTrack(spans: spans)
    }

    /// The JSON of a mask track (field names as the shared video harness writes its `mask.json`).
    private struct TrackDocument: Decodable {
        struct Interval: Decodable {
            var start_frame: Int?
            var end_frame: Int?
            var t_start: Double?
            var t_end: Double?
            var mask_png: String
        }
        var intervals: [Interval]
    }
}
