/// Removes a watermark shared by several images: find it from all of them (`SharedMarkEstimator`), estimate its
/// opacity and colour under that mask from all of them (`SharedMatteEstimator`), then invert it where the estimate
/// holds and fill the rest (FAST) in each image.
public enum SharedMarkRemover {
    /// Result for a set of images.
    public struct Result: Sendable {
        /// The cleaned images, in input order.
        public var images: [PixelImage]
        /// The detected mark (fill mask).
        public var mask: Mask
        /// The estimated matte.
        public var matte: WatermarkMatte
    }

    /// Cleans every image (at least 3; with 2 the mark is found but only filled).
    public static func remove(images: [PixelImage], options: SharedMatteEstimator.Options = SharedMatteEstimator.Options(),
                              context: OperationContext = OperationContext()) throws(InpaintError) -> Result {
        let found = try SharedMarkEstimator.estimate(images: images, context: context.sub(0, 0.4))
        let shared = images.count >= 3
            ? try SharedMatteEstimator.estimate(images: images, mask: found.mask, options: options, context: context.sub(0.4, 0.7))
            : SharedMatte.fillEverything(found.mask)
        var out: [PixelImage] = []
        for (k, image) in images.enumerated() {
            try context.check()
            out.append(try shared.remove(from: image))
            context.report(0.7 + 0.3 * Double(k + 1) / Double(images.count))
        }
        return Result(images: out, mask: found.mask, matte: shared.matte)
    }
}
