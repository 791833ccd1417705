extension Mask {
    /// At most `limit` axis-aligned rectangles `(minX, minY, maxX, maxY)` (inclusive pixels) that
    /// together cover every filled pixel: the bounding boxes of the 8-connected components, the
    /// pair whose union adds the least area merged while there are too many. For handing a raster
    /// mask to an API that takes a bounded number of polygons.
    public func boundingRectangles(limit: Int) -> [(minX: Int, minY: Int, maxX: Int, maxY: Int)] {
        precondition(limit >= 1, "at least one rectangle")
        var boxes = ComponentLabels(self).boxes.map { (minX: $0.0, minY: $0.1, maxX: $0.2, maxY: $0.3) }
        func union(_ a: (minX: Int, minY: Int, maxX: Int, maxY: Int), _ b: (minX: Int, minY: Int, maxX: Int, maxY: Int)) -> (minX: Int, minY: Int, maxX: Int, maxY: Int) {
            (min(a.minX, b.minX), min(a.minY, b.minY), max(a.maxX, b.maxX), max(a.maxY, b.maxY))
        }
        func area(_ b: (minX: Int, minY: Int, maxX: Int, maxY: Int)) -> Int { (b.maxX - b.minX + 1) * (b.maxY - b.minY + 1) }
        while boxes.count > limit {
            var best = (first: 0, second: 1, growth: Int.max)
            for i in 0..<boxes.count {
                for j in (i + 1)..<boxes.count {
                    let growth = area(union(boxes[i], boxes[j])) - area(boxes[i]) - area(boxes[j])
                    if growth < best.growth { best = (i, j, growth) }
                }
            }
            boxes[best.first] = union(boxes[best.first], boxes[best.second])
            boxes.remove(at: best.second)
        }
        return boxes
    }
}
