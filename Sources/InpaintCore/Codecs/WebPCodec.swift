import CWebP
import CImageCodecs

/// WebP decoding/encoding through libwebp (lossless or lossy).
public enum WebPCodec {
    /// Decodes WebP bytes to RGB (or RGBA if the file has alpha).
    public static func decode(_ data: [UInt8], options: DecodeOptions = DecodeOptions()) throws(InpaintError) -> PixelImage {
        var features = WebPBitstreamFeatures()
        let status = data.withUnsafeBufferPointer {
            WebPGetFeaturesInternal($0.baseAddress, $0.count, &features, WEBP_DECODER_ABI_VERSION)
        }
        guard status == VP8_STATUS_OK else {
            throw status == VP8_STATUS_UNSUPPORTED_FEATURE ? .unsupportedImage("unsupported WebP variant") : .imageCorrupt("corrupt or truncated WebP file")
        }
        let w = Int(features.width), h = Int(features.height)
        try ImageCodec.checkLimits(width: w, height: h, options: options)
        let ch = features.has_alpha != 0 ? 4 : 3
        let count = w * h * ch
        var ok = false
        let pixels = [UInt8](unsafeUninitializedCapacity: count) { buf, n in
            let r = data.withUnsafeBufferPointer { src in
                ch == 4
                    ? WebPDecodeRGBAInto(src.baseAddress, src.count, buf.baseAddress, count, Int32(w * ch))
                    : WebPDecodeRGBInto(src.baseAddress, src.count, buf.baseAddress, count, Int32(w * ch))
            }
            ok = r != nil
            if !ok { buf.initialize(repeating: 0) }
            n = count
        }
        guard ok else { throw .imageCorrupt("corrupt or truncated WebP file") }
        return PixelImage(width: w, height: h, channels: ch, pixels: pixels)
    }

    /// Encodes to WebP; grey is expanded to RGB. Lossless keeps RGB under transparent pixels.
    public static func encode(_ image: PixelImage, lossless: Bool = true, quality: Float = 90) throws(InpaintError) -> [UInt8] {
        let img = image.channels == 1 ? image.toRGB() : image
        var out: UnsafeMutablePointer<UInt8>? = nil
        var len = 0
        let rc = img.pixels.withUnsafeBufferPointer {
            ic_webp_encode($0.baseAddress, Int32(img.width), Int32(img.height), Int32(img.channels), lossless ? 1 : 0, quality, &out, &len)
        }
        guard rc == IC_OK, let o = out else { throw ImageCodec.codecError(rc == IC_OK ? IC_IO : rc, "WebP") }
        defer { ic_webp_free(o) }
        return Array(UnsafeBufferPointer(start: o, count: len))
    }
}
