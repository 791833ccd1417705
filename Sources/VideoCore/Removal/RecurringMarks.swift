import InpaintCore

/// Mask ranges grouped by mark: ranges whose masks are the same shape at different places (a mark that jumps between
/// corners, as short-video apps place theirs) are one mark, estimated once from the frames of all of them — more
/// frames over more different content than any one range has. Each range gets a working region around its mask, the
/// same size for every range of a group, so their samples line up pixel for pixel.
struct RecurringMarks {
    /// Group of each range (nil for an empty mask).
    let group: [Int?]
    /// Working region of each range (nil for an empty mask).
    let regions: [PixelRegion?]
    /// Number of groups.
    let count: Int

    init(track: VideoMaskTrack, margin: Int) {
        var shapes: [(box: PixelRegion, mask: Mask)] = []
        var group: [Int?] = []
        var boxes: [PixelRegion?] = []
        for span in track.spans {
            guard let box = PixelRegion(around: span.mask, margin: 0) else { group.append(nil); boxes.append(nil); continue }
            let shape = span.mask.cropped(to: box)
            if let same = shapes.firstIndex(where: { $0.box.width == box.width && $0.box.height == box.height && $0.mask == shape }) {
                group.append(same)
            } else {
                group.append(shapes.count)
                shapes.append((box, shape))
            }
            boxes.append(box)
        }
        // The margin each group can have on every side without leaving the frame at any of its places.
        var sides = [(left: Int, top: Int, right: Int, bottom: Int)](repeating: (margin, margin, margin, margin), count: shapes.count)
        for (n, span) in track.spans.enumerated() {
            guard let g = group[n], let box = boxes[n] else { continue }
            sides[g].left = min(sides[g].left, box.x)
            sides[g].top = min(sides[g].top, box.y)
            sides[g].right = min(sides[g].right, span.mask.width - box.x - box.width)
            sides[g].bottom = min(sides[g].bottom, span.mask.height - box.y - box.height)
        }
        regions = zip(group, boxes).map { g, box in
            guard let g, let box else { return nil }
            let s = sides[g]
            return PixelRegion(x: box.x - s.left, y: box.y - s.top, width: box.width + s.left + s.right, height: box.height + s.top + s.bottom)
        }
        self.group = group
        count = shapes.count
    }
}

extension PixelRegion {
    /// The smallest region with even coordinates and size (as far as the frame allows) that holds all of `regions`:
    /// what FFmpeg can crop from subsampled chroma exactly.
    static func evenlyAligned(enclosing regions: [PixelRegion], width: Int, height: Int) -> PixelRegion? {
        guard !regions.isEmpty else { return nil }
        let x0 = regions.map(\.x).min()! / 2 * 2, y0 = regions.map(\.y).min()! / 2 * 2
        var x1 = regions.map { $0.x + $0.width }.max()!, y1 = regions.map { $0.y + $0.height }.max()!
        if (x1 - x0) % 2 == 1 && x1 < width { x1 += 1 }
        if (y1 - y0) % 2 == 1 && y1 < height { y1 += 1 }
        return PixelRegion(x: x0, y: y0, width: x1 - x0, height: y1 - y0)
    }
}
