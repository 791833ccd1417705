/// A zoom about the origin followed by a shift, `p ↦ scale·p + shift`: how a slowly panning and zooming camera moves
/// the picture near a mark from one frame to another (no rotation: cameras that roll are rare, and a local region
/// barely shows it).
struct SimilarityTransform: Sendable, Equatable {
    /// Zoom factor.
    var scale: Double
    /// Shift after the zoom, in pixels.
    var tx: Double
    /// Shift after the zoom, in pixels.
    var ty: Double

    /// The transform that moves nothing.
    static let identity = SimilarityTransform(scale: 1, tx: 0, ty: 0)

    /// Where `(x, y)` goes.
    @inline(__always)
    func apply(_ x: Double, _ y: Double) -> (x: Double, y: Double) { (scale * x + tx, scale * y + ty) }

    /// `self` after `other`: `p ↦ self(other(p))`.
    func after(_ other: SimilarityTransform) -> SimilarityTransform {
        SimilarityTransform(scale: scale * other.scale, tx: scale * other.tx + tx, ty: scale * other.ty + ty)
    }

    /// The transform that undoes this one.
    var inverse: SimilarityTransform {
        SimilarityTransform(scale: 1 / scale, tx: -tx / scale, ty: -ty / scale)
    }
}
