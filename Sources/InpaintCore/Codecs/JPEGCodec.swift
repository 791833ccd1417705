import CImageCodecs

/// JPEG decoding/encoding through libjpeg-turbo, honouring EXIF orientation.
public enum JPEGCodec {
    /// Decodes JPEG bytes to grey or RGB, then applies the EXIF orientation if requested.
    public static func decode(_ data: [UInt8], options: DecodeOptions = DecodeOptions()) throws(InpaintError) -> PixelImage {
        var w: Int32 = 0, h: Int32 = 0, ch: Int32 = 0
        let rc = data.withUnsafeBufferPointer { ic_jpeg_info($0.baseAddress, $0.count, &w, &h, &ch) }
        if rc != IC_OK { throw ImageCodec.codecError(rc, "JPEG") }
        try ImageCodec.checkLimits(width: Int(w), height: Int(h), options: options)
        let count = Int(w) * Int(h) * Int(ch)
        var drc: Int32 = IC_OK
        let pixels = [UInt8](unsafeUninitializedCapacity: count) { buf, n in
            drc = data.withUnsafeBufferPointer { ic_jpeg_decode($0.baseAddress, $0.count, buf.baseAddress, w, h, ch) }
            n = count
        }
        if drc != IC_OK { throw ImageCodec.codecError(drc, "JPEG") }
        let image = PixelImage(width: Int(w), height: Int(h), channels: Int(ch), pixels: pixels)
        if options.applyExifOrientation, let o = ExifReader.orientation(jpeg: data), o != .up {
            return image.applying(o)
        }
        return image
    }

    /// Encodes grey or RGB to JPEG (RGBA is flattened by dropping alpha).
    public static func encode(_ image: PixelImage, quality: Int32 = 92) throws(InpaintError) -> [UInt8] {
        let img = image.channels == 4 ? image.toRGB() : image
        var out: UnsafeMutablePointer<UInt8>? = nil
        var len = 0
        let rc = img.pixels.withUnsafeBufferPointer {
            ic_jpeg_encode($0.baseAddress, Int32(img.width), Int32(img.height), Int32(img.channels), quality, &out, &len)
        }
        if rc != IC_OK { throw ImageCodec.codecError(rc, "JPEG") }
        defer { ic_free(out) }
        return Array(UnsafeBufferPointer(start: out, count: len))
    }
}
