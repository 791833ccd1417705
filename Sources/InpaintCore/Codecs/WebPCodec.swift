import CImageCodecs

/// WebP decoding/encoding through libwebp's runtime library, loaded on first use (lossless or lossy).
public enum WebPCodec {
    /// Whether libwebp's runtime library (libwebp.so.7) could be loaded.
    public static var isAvailable: Bool { ic_webp_available() != 0 }

    /// Decodes WebP bytes to RGB (or RGBA if the file has alpha).
    public static func decode(_ data: [UInt8], options: DecodeOptions = DecodeOptions()) throws(InpaintError) -> PixelImage {
        var w: Int32 = 0, h: Int32 = 0, ch: Int32 = 0
        let info = data.withUnsafeBufferPointer { ic_webp_info($0.baseAddress, $0.count, &w, &h, &ch) }
        guard info == IC_OK else { throw ImageCodec.codecError(info, "WebP") }
        try ImageCodec.checkLimits(width: Int(w), height: Int(h), options: options)
        let count = Int(w) * Int(h) * Int(ch)
        var rc = IC_OK
        let pixels = [UInt8](unsafeUninitializedCapacity: count) { buf, n in
            rc = data.withUnsafeBufferPointer { src in ic_webp_decode(src.baseAddress, src.count, buf.baseAddress, w, h, ch) }
            if rc != IC_OK { buf.initialize(repeating: 0) }
            n = count
        }
        guard rc == IC_OK else { throw ImageCodec.codecError(rc, "WebP") }
        return PixelImage(width: Int(w), height: Int(h), channels: Int(ch), pixels: pixels)
    }

    /// Encodes to WebP; grey is expanded to RGB. Lossless keeps every visible pixel exactly.
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
