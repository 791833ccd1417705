import InpaintCore
import WatermarkAPI

extension MaskProposal {
    /// Most polygons a proposal holds (the contract's `maxItems`).
    static let polygonLimit = 50

    /// Auto-detection's proposal for a `width`×`height` image as the API shows it: rectangles around the candidate
    /// regions, in the 1920×1080 canvas units a task's mask uses (at most `polygonLimit`, merged where they would
    /// be more).
    init(_ proposal: WatermarkDetector.Proposal, width: Int, height: Int) {
        let sx = InpaintCore.TaskMask.canvasWidth / Double(width), sy = InpaintCore.TaskMask.canvasHeight / Double(height)
        let rectangles = proposal.mask?.boundingRectangles(limit: Self.polygonLimit) ?? []
        let polygons = rectangles.map { box in
            let x0 = Double(box.minX) * sx, x1 = Double(box.maxX + 1) * sx
            let y0 = Double(box.minY) * sy, y1 = Double(box.maxY + 1) * sy
            return MaskPolygon(points: [Point(x: x0, y: y0), Point(x: x1, y: y0), Point(x: x1, y: y1), Point(x: x0, y: y1)])
        }
        self.init(found: proposal.found, confidence: min(1, max(0, proposal.confidence)), kind: Kind(proposal.kind),
                  polygons: polygons, reason: String(proposal.reason.prefix(1000)))
    }
}

extension MaskProposal.Kind {
    /// The detector's name for what it found, as the API spells it.
    init(_ kind: OverlayKind?) {
        switch kind {
        case .cornerOverlay: self = .cornerOverlay
        case .tiledText: self = .tiledText
        case .brightText, .sharedMark: self = .brightText
        case nil: self = .none
        }
    }
}
