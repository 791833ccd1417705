import InpaintCore

/// What video auto-detection found.
public enum VideoDetection: Sendable {
    /// A mark that stays put: one mask for every frame.
    case staticMark(Mask, confidence: Double, kind: OverlayKind)
    /// A mark that jumps between places: the frames between jumps, each stretch with its own mask.
    case movingMark(VideoMaskTrack, jumps: Int, confidence: Double)
    /// Nothing found with enough confidence: the caller must supply a mask.
    case maskRequired(bestConfidence: Double, reason: String)

    /// The frames to clean and where, when something was found.
    public var track: VideoMaskTrack? {
        switch self {
        case .staticMark(let mask, _, _): VideoMaskTrack(mask: mask)
        case .movingMark(let track, _, _): track
        case .maskRequired: nil
        }
    }
}

/// Finds a watermark in a video, in one decoding pass. A mark that jumps between places is found by its jumps
/// (`MovingMarkDetector`, which sees every frame). A static mark is what stays put while the content moves: evenly
/// spaced frames are handed to InpaintCore's shared-mark detection (per-pixel median of gradients over the frames,
/// then residuals that agree across them), which answers with a mask and a confidence, or that a mask is required. A
/// slow camera makes the content look static too, so that answer is kept only when the mask's edges are clearly
/// steadier than the rest of the picture's (`steadiness`: |median gradient| / median |gradient| over the frames, 1
/// for what never moves).
public enum VideoMarkDetector {
    /// Detects the mark, looking for a static one in `frames` evenly spaced frames (at least 3).
    public static func detect(input: String, tools: FFmpegTools, frames: Int = 12,
                              minConfidence: Double = WatermarkDetector.defaultMinConfidence,
                              token: CancellationToken? = nil) throws(VideoError) -> VideoDetection {
        let info = try VideoProbe.probe(input, tools: tools)
        guard let total = info.expectedFrames, total >= 3 else {
            throw .videoUnsupported("detection needs a video of at least 3 frames whose length the header gives")
        }
        let count = min(frames, total)
        let wanted = Set((0..<count).map { $0 * total / count })
        let reader = try FrameReader(path: input, info: info, tools: tools)
        var samples: [PixelImage] = []
        var moving = MovingMarkDetector(frameWidth: info.width, frameHeight: info.height)
        var frame = 0
        while let pixels = try reader.next() {
            if token?.isCancelled == true { reader.cancel(); throw .cancelled }
            if wanted.contains(frame) { samples.append(PixelImage(width: info.width, height: info.height, channels: 3, pixels: pixels)) }
            moving.add(rgb: pixels)
            frame += 1
        }
        guard samples.count >= 3 else { throw .videoCorrupt("the video has \(frame) frames, its header said \(total)") }
        if let found = moving.finish(), found.confidence >= minConfidence {
            return .movingMark(found.track, jumps: found.jumps, confidence: found.confidence)
        }
        let outcome: DetectionOutcome
        do {
            outcome = try WatermarkDetector.detectShared(in: samples, minConfidence: minConfidence,
                                                         context: OperationContext(token: token)).outcome
        } catch {
            throw VideoError(error)
        }
        switch outcome {
        case .maskRequired(let confidence, let reason):
            return .maskRequired(bestConfidence: confidence, reason: reason)
        case .mask(let mask, let confidence, let kind):
            let contrast = steadinessContrast(samples, mask: mask)
            if contrast < minimumSteadinessContrast {
                return .maskRequired(bestConfidence: min(confidence, Double(max(0, contrast) / minimumSteadinessContrast) * minConfidence),
                                     reason: "what looks static is not steadier than the rest of the picture (\(Int(contrast * 100)) %): the camera moves too little to tell a mark from the scene")
            }
            return .staticMark(mask, confidence: confidence, kind: kind)
        }
    }

    /// How much steadier the mask's strong edges must be than the strong edges elsewhere. On the shared video
    /// harness (seed 1, where it was chosen) the static marks measured 0.44-0.77, clean clips 0.02-0.43.
    static let minimumSteadinessContrast: Float = 0.35

    /// Mean steadiness of the strongest-gradient pixels inside the mask minus that of those outside it.
    static func steadinessContrast(_ frames: [PixelImage], mask: Mask) -> Float {
        let W = mask.width, H = mask.height, N = frames.count
        let lumas = frames.map { $0.luma() }
        var gx = [Float](repeating: 0, count: N), gy = [Float](repeating: 0, count: N), magnitude = [Float](repeating: 0, count: N)
        var inside: [(strength: Float, steadiness: Float)] = [], outside: [(strength: Float, steadiness: Float)] = []
        for y in stride(from: 1, to: H - 1, by: 1) {
            for x in stride(from: 1, to: W - 1, by: 1) {
                let i = y * W + x
                for k in 0..<N {
                    gx[k] = lumas[k][i + 1] - lumas[k][i - 1]
                    gy[k] = lumas[k][i + W] - lumas[k][i - W]
                    magnitude[k] = (gx[k] * gx[k] + gy[k] * gy[k]).squareRoot()
                }
                let typical = median(&magnitude)
                guard typical >= 8 else { continue }
                let mx = median(&gx), my = median(&gy)
                let entry = (typical, min(1, (mx * mx + my * my).squareRoot() / typical))
                if mask.values[i] != 0 { inside.append(entry) } else if (x + y) % 4 == 0 { outside.append(entry) }
            }
        }
        func strongestMean(_ values: [(strength: Float, steadiness: Float)]) -> Float {
            guard !values.isEmpty else { return 0 }
            let strongest = values.sorted { $0.strength > $1.strength }.prefix(max(1, values.count / 4))
            return strongest.reduce(0) { $0 + $1.steadiness } / Float(strongest.count)
        }
        return strongestMean(inside) - strongestMean(outside)
    }

    private static func median(_ values: inout [Float]) -> Float {
        values.sort()
        let n = values.count
        return n % 2 == 1 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2])
    }
}
