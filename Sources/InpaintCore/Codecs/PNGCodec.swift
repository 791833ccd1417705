import CImageCodecs

/// PNG decoding/encoding through libpng (errors trapped in C with setjmp).
public enum PNGCodec {
    /// Decodes PNG bytes to 8-bit grey, RGB or RGBA.
    public static func decode(_ data: [UInt8], options: DecodeOptions = DecodeOptions()) throws(InpaintError) -> PixelImage {
        var w: Int32 = 0, h: Int32 = 0, ch: Int32 = 0
        let rc = data.withUnsafeBufferPointer { ic_png_info($0.baseAddress, $0.count, &w, &h, &ch) }
        if rc != IC_OK { throw ImageCodec.codecError(rc, "PNG") }
        try ImageCodec.checkLimits(width: Int(w), height: Int(h), options: options)
        let count = Int(w) * Int(h) * Int(ch)
        var drc: Int32 = IC_OK
        let pixels = [UInt8](unsafeUninitializedCapacity: count) { buf, n in
            drc = data.withUnsafeBufferPointer { ic_png_decode($0.baseAddress, $0.count, buf.baseAddress, w, h, ch) }
            n = count
        }
        if drc != IC_OK { throw ImageCodec.codecError(drc, "PNG") }
        return PixelImage(width: Int(w), height: Int(h), channels: Int(ch), pixels: pixels)
    }

    /// Encodes to PNG with zlib level `level` (0...9).
    public static func encode(_ image: PixelImage, level: Int32 = 3) throws(InpaintError) -> [UInt8] {
        var out: UnsafeMutablePointer<UInt8>? = nil
        var len = 0
        let rc = image.pixels.withUnsafeBufferPointer {
            ic_png_encode($0.baseAddress, Int32(image.width), Int32(image.height), Int32(image.channels), level, &out, &len)
        }
        if rc != IC_OK { throw ImageCodec.codecError(rc, "PNG") }
        defer { ic_free(out) }
        return Array(UnsafeBufferPointer(start: out, count: len))
    }
}
