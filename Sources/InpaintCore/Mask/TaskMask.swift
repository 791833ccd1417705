/// A 2-D point in the normalised 1920x1080 task canvas.
public struct CanvasPoint: Sendable, Equatable, Codable {
    /// Horizontal coordinate, 0...1920.
    public var x: Double
    /// Vertical coordinate, 0...1080.
    public var y: Double
    /// Creates a point.
    public init(x: Double, y: Double) { self.x = x; self.y = y }
}

/// Polygon fill rule.
public enum FillRule: String, Sendable, Codable {
    /// Inside when a ray crosses an odd number of edges.
    case evenOdd
    /// Inside when the winding number is non-zero.
    case nonZero
}

/// One element of a task mask.
public enum MaskShape: Sendable, Equatable {
    /// A closed polygon.
    case polygon([CanvasPoint], FillRule = .evenOdd)
    /// A brush stroke: polyline with a radius (canvas units); union of capsules.
    case stroke([CanvasPoint], radius: Double)
}

/// A mask described in the 1920x1080 canvas, rasterised to any image size.
public struct TaskMask: Sendable, Equatable {
    /// Canvas width the coordinates refer to.
    public static let canvasWidth = 1920.0
    /// Canvas height the coordinates refer to.
    public static let canvasHeight = 1080.0

    /// The shapes, unioned.
    public var shapes: [MaskShape]
    /// Extra dilation radius in output pixels.
    public var dilation: Int

    /// Creates a task mask.
    public init(shapes: [MaskShape], dilation: Int = 0) {
        self.shapes = shapes
        self.dilation = dilation
    }

    /// Rasterises without anti-aliasing: a pixel is set when its centre is inside a shape.
    public func rasterize(width: Int, height: Int) -> Mask {
        var mask = Mask(width: width, height: height)
        let sx = Double(width) / Self.canvasWidth
        let sy = Double(height) / Self.canvasHeight
        for shape in shapes {
            switch shape {
            case .polygon(let pts, let rule):
                let scaled = pts.map { CanvasPoint(x: $0.x * sx, y: $0.y * sy) }
                Self.fillPolygon(scaled, rule: rule, into: &mask)
            case .stroke(let pts, let radius):
                let scaled = pts.map { CanvasPoint(x: $0.x * sx, y: $0.y * sy) }
                Self.fillStroke(scaled, radius: radius * (sx * sy).squareRoot(), into: &mask)
            }
        }
        return dilation > 0 ? mask.dilated(radius: dilation) : mask
    }

    /// Scanline polygon fill at pixel centres.
    static func fillPolygon(_ pts: [CanvasPoint], rule: FillRule, into mask: inout Mask) {
        let width = mask.width
        forEachSpan(of: pts, rule: rule, width: mask.width, height: mask.height) { y, x0, x1 in
            let row = y * width
            for x in x0...x1 { mask.values[row + x] = 1 }
            return true
        }
    }

    /// Whether the polygon sets at least one pixel of the 1920×1080 canvas under `rule` — the
    /// rasteriser's own judgement of "has area" (a self-intersecting bow-tie does; points on one
    /// line, or a sliver between pixel centres, do not).
    public static func polygonCoversAPixel(_ pts: [CanvasPoint], rule: FillRule = .evenOdd) -> Bool {
        var covers = false
        forEachSpan(of: pts, rule: rule, width: Int(canvasWidth), height: Int(canvasHeight)) { _, _, _ in
            covers = true
            return false
        }
        return covers
    }

    /// Calls `body(y, x0, x1)` for each run of pixels (centres inside the polygon) of a
    /// `width`×`height` raster, row by row, until it returns false.
    static func forEachSpan(
        of pts: [CanvasPoint], rule: FillRule, width: Int, height: Int, _ body: (_ y: Int, _ x0: Int, _ x1: Int) -> Bool
    ) {
        guard pts.count >= 3 else { return }
        let ys = pts.map(\.y)
        let y0 = max(0, Int((ys.min()! - 0.5).rounded(.up)))
        let y1 = min(height - 1, Int((ys.max()! - 0.5).rounded(.down)))
        guard y0 <= y1 else { return }
        var crossings: [(x: Double, dir: Int)] = []
        for y in y0...y1 {
            let cy = Double(y) + 0.5
            crossings.removeAll(keepingCapacity: true)
            for i in 0..<pts.count {
                let a = pts[i], b = pts[(i + 1) % pts.count]
                if a.y == b.y { continue }
                // Half-open rule: include lower endpoint, exclude upper.
                let (lo, hi, dir) = a.y < b.y ? (a, b, 1) : (b, a, -1)
                if cy < lo.y || cy >= hi.y { continue }
                let t = (cy - lo.y) / (hi.y - lo.y)
                crossings.append((lo.x + t * (hi.x - lo.x), dir))
            }
            crossings.sort { $0.x < $1.x }
            var winding = 0
            for k in 0..<crossings.count {
                winding += crossings[k].dir
                let inside = rule == .evenOdd ? (k % 2 == 0) : (winding != 0)
                guard inside, k + 1 < crossings.count else { continue }
                let xa = crossings[k].x, xb = crossings[k + 1].x
                // Pixels whose centre x + 0.5 lies in [xa, xb).
                let x0 = max(0, Int((xa - 0.5).rounded(.up)))
                let x1 = min(width - 1, Int((xb - 0.5).rounded(.up)) - 1)
                if x0 > x1 { continue }
                if !body(y, x0, x1) { return }
            }
        }
    }

    /// Union of capsules (discs at the points, joined by rectangles).
    static func fillStroke(_ pts: [CanvasPoint], radius r: Double, into mask: inout Mask) {
        guard !pts.isEmpty, r > 0 else { return }
        let segs = pts.count == 1 ? [(pts[0], pts[0])] : (0..<(pts.count - 1)).map { (pts[$0], pts[$0 + 1]) }
        let r2 = r * r
        for (a, b) in segs {
            let x0 = max(0, Int((min(a.x, b.x) - r - 0.5).rounded(.down)))
            let x1 = min(mask.width - 1, Int((max(a.x, b.x) + r).rounded(.up)))
            let y0 = max(0, Int((min(a.y, b.y) - r - 0.5).rounded(.down)))
            let y1 = min(mask.height - 1, Int((max(a.y, b.y) + r).rounded(.up)))
            if x0 > x1 || y0 > y1 { continue }
            let dx = b.x - a.x, dy = b.y - a.y
            let len2 = dx * dx + dy * dy
            for y in y0...y1 {
                let cy = Double(y) + 0.5
                let row = y * mask.width
                for x in x0...x1 {
                    let cx = Double(x) + 0.5
                    var t = len2 > 0 ? ((cx - a.x) * dx + (cy - a.y) * dy) / len2 : 0
                    t = min(1, max(0, t))
                    let ex = a.x + t * dx - cx, ey = a.y + t * dy - cy
                    if ex * ex + ey * ey <= r2 { mask.values[row + x] = 1 }
                }
            }
        }
    }
}
