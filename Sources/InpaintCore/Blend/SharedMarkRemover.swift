/// Removes a watermark shared by several images: estimate the matte from all of them
/// (`SharedMarkEstimator`), invert the blend where it is semi-transparent (`BlendInverter`) and
/// inpaint only the opaque remainder (FAST or QUALITY).
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

    /// Cleans every image. `opaqueThreshold`: alpha at or above which pixels are inpainted.
    public static func remove(images: [PixelImage], quality: Bool = false, opaqueThreshold: Float = 0.9,
                              context: OperationContext = OperationContext()) throws(InpaintError) -> Result {
        let est = try SharedMarkEstimator.estimate(images: images, context: context.sub(0, 0.4))
        var out: [PixelImage] = []
        for (k, im) in images.enumerated() {
            try context.check()
            let inv = try BlendInverter.invert(im, matte: est.matte, opaqueThreshold: opaqueThreshold)
            // Inpaint the opaque pixels plus the mask margin the matte does not explain
            // (pixels of the detected mask whose alpha estimate is zero are left as they are).
            var hole = inv.opaqueMask
            hole = hole.dilated(radius: 1)
            for i in 0..<hole.values.count where est.mask.values[i] == 0 { hole.values[i] = 0 }
            let sub = context.sub(0.4 + 0.6 * Double(k) / Double(images.count), 0.4 + 0.6 * Double(k + 1) / Double(images.count))
            let filled = quality
                ? try QualityInpainter.inpaint(inv.image, mask: hole, options: { var o = QualityInpaintOptions(); o.invertBlend = false; return o }(), context: sub)
                : try FastInpainter.inpaint(inv.image, mask: hole, context: sub)
            out.append(filled)
        }
        return Result(images: out, mask: est.mask, matte: est.matte)
    }
}
