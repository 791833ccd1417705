/// Kind of overlay the detector recognised.
public enum OverlayKind: String, Sendable {
    /// Logo or text near a corner (opaque or semi-transparent).
    case cornerOverlay
    /// Text or logos repeated over the whole frame (often rotated).
    case tiledText
    /// Bright/white semi-transparent text or logo.
    case brightText
    /// Mark found as common structure in several images.
    case sharedMark
}

/// Result of automatic watermark detection.
public enum DetectionOutcome: Sendable {
    /// A mask was found with the given confidence (0...1).
    case mask(Mask, confidence: Double, kind: OverlayKind)
    /// Nothing was found with enough confidence: the caller must supply a mask.
    case maskRequired(bestConfidence: Double, reason: String)

    /// The mask, if one was found.
    public var mask: Mask? {
        if case .mask(let m, _, _) = self { return m }
        return nil
    }
}
