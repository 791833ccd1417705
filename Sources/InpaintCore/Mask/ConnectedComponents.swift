/// Connected-component labelling of a mask (8-connected by default, 4-connected on request).
public struct ComponentLabels: Sendable {
    /// Which neighbours join a component.
    public enum Connectivity: Sendable {
        /// Left, right, up, down.
        case four
        /// The four plus the diagonals.
        case eight
    }

    /// Label per pixel: -1 for background, else 0..<count.
    public var labels: [Int32]
    /// Number of components.
    public var count: Int
    /// Pixel count of each component.
    public var sizes: [Int]
    /// Bounding box (minX, minY, maxX, maxY) of each component.
    public var boxes: [(Int, Int, Int, Int)]

    /// Labels the filled pixels of `mask`.
    public init(_ mask: Mask, connectivity: Connectivity = .eight) {
        let W = mask.width, H = mask.height
        var labels = [Int32](repeating: -1, count: W * H)
        var sizes: [Int] = [], boxes: [(Int, Int, Int, Int)] = []
        var stack: [Int32] = []
        for start in 0..<(W * H) where mask.values[start] != 0 && labels[start] < 0 {
            let id = Int32(sizes.count)
            var size = 0
            var box = (W, H, -1, -1)
            labels[start] = id
            stack.append(Int32(start))
            while let pi = stack.popLast() {
                let p = Int(pi), x = p % W, y = p / W
                size += 1
                box = (min(box.0, x), min(box.1, y), max(box.2, x), max(box.3, y))
                for dy in -1...1 {
                    let ny = y + dy
                    if ny < 0 || ny >= H { continue }
                    for dx in -1...1 {
                        let nx = x + dx
                        if nx < 0 || nx >= W || (dx == 0 && dy == 0) { continue }
                        if connectivity == .four && dx != 0 && dy != 0 { continue }
                        let q = ny * W + nx
                        if mask.values[q] != 0 && labels[q] < 0 {
                            labels[q] = id
                            stack.append(Int32(q))
                        }
                    }
                }
            }
            sizes.append(size)
            boxes.append(box)
        }
        self.labels = labels
        self.count = sizes.count
        self.sizes = sizes
        self.boxes = boxes
    }
}
