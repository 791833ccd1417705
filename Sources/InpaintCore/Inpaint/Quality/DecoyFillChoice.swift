/// Decides, per part of a hole, whether QUALITY's exemplar fill or the FAST fill goes there, from
/// evidence in the image itself: the part's own shape is copied onto nearby known pixels (a decoy hole,
/// shifted by the part's width or height), both methods fill the decoys, and the method that comes closer
/// to the pixels it could not see wins the part. A part no decoy fits beside (it spans the image, or
/// marked pixels surround it) keeps the exemplar fill. Deterministic: the decoys' places follow from the
/// mask, and the exemplar fill is seeded.
enum DecoyFillChoice {
    /// Pixels between a part's decoy and any masked pixel (so the decoy's known surroundings are clean).
    static let clearance = 6
    /// Parts smaller than this many pixels keep the exemplar fill (too few pixels to judge by).
    static let minimumPart = 50

    /// The pixels of `hole` where the exemplar fill should be kept; elsewhere in `hole`, FAST's. `image`
    /// is the picture with `hole` already filled (so the decoys' exemplar fill copies no marked pixels);
    /// it is known outside `marked`, the whole mask the user gave.
    static func exemplarPixels(image: PixelImage, hole: Mask, marked: Mask, options: QualityInpaintOptions,
                               context: OperationContext) throws(InpaintError) -> Mask {
        let W = image.width, H = image.height, C = image.channels
        let parts = ComponentLabels(hole.dilated(radius: 4))
        var pixels = [[Int]](repeating: [], count: parts.count)
        for i in 0..<(W * H) where hole.values[i] != 0 { pixels[Int(parts.labels[i])].append(i) }
        // Squared error of each method on each part's decoys.
        var exemplarError = [Double](repeating: 0, count: parts.count), fastError = [Double](repeating: 0, count: parts.count)
        var judged = [Bool](repeating: false, count: parts.count)
        let blocked = marked.dilated(radius: clearance)
        let directions = [(1, 0), (-1, 0), (0, 1), (0, -1)]
        for (pass, direction) in directions.enumerated() {
            try context.check()
            let passContext = context.sub(Double(pass) / Double(directions.count), Double(pass + 1) / Double(directions.count))
            // One pass places a decoy for every part still unjudged that fits in this direction.
            var decoys = Mask(width: W, height: H)
            var taken = blocked
            var placed: [(part: Int, shift: Int)] = []
            for part in 0..<parts.count where !judged[part] && pixels[part].count >= minimumPart {
                let box = parts.boxes[part]
                let dx = direction.0 * (box.2 - box.0 + 1 + clearance), dy = direction.1 * (box.3 - box.1 + 1 + clearance)
                guard box.0 + dx >= 0, box.2 + dx < W, box.1 + dy >= 0, box.3 + dy < H else { continue }
                let shift = dy * W + dx
                guard pixels[part].allSatisfy({ taken.values[$0 + shift] == 0 }) else { continue }
                for i in pixels[part] { decoys.values[i + shift] = 1 }
                // The decoy's box and its clearance are no place for another part's decoy.
                for y in max(0, box.1 + dy - clearance)...min(H - 1, box.3 + dy + clearance) {
                    for x in max(0, box.0 + dx - clearance)...min(W - 1, box.2 + dx + clearance) { taken.values[y * W + x] = 1 }
                }
                placed.append((part, shift))
            }
            guard let box = decoys.boundingBox else { continue }
            let fast = try FastInpainter.inpaint(image, mask: decoys, options: FastInpaintOptions(radius: options.fastRadius))
            let exemplar = try QualityInpainter.exemplarFill(image: image, fast: fast, mask: decoys, box: box, options: options, context: passContext)
            for (part, shift) in placed {
                for i in pixels[part] {
                    let j = (i + shift) * C
                    for c in 0..<C {
                        let known = Double(image.pixels[j + c])
                        exemplarError[part] += (Double(exemplar.pixels[j + c]) - known) * (Double(exemplar.pixels[j + c]) - known)
                        fastError[part] += (Double(fast.pixels[j + c]) - known) * (Double(fast.pixels[j + c]) - known)
                    }
                }
                judged[part] = true
            }
            if judged.enumerated().allSatisfy({ $0.element || pixels[$0.offset].count < minimumPart }) { break }
        }
        context.report(1)
        var keep = Mask(width: W, height: H)
        for part in 0..<parts.count where !judged[part] || exemplarError[part] <= fastError[part] {
            for i in pixels[part] { keep.values[i] = 1 }
        }
        return keep
    }
}
