import CImageCodecs

/// Decodes and encodes PNG, JPEG and WebP images.
public enum ImageCodec {
    /// Decodes PNG, JPEG or WebP bytes. Honours `options.maxPixels` before allocating pixels.
    public static func decode(_ data: [UInt8], options: DecodeOptions = DecodeOptions()) throws(InpaintError) -> PixelImage {
        guard let format = ImageFormat.sniff(data) else {
            throw .imageCorrupt("not a PNG, JPEG or WebP file")
        }
        switch format {
        case .png: return try PNGCodec.decode(data, options: options)
        case .jpeg: return try JPEGCodec.decode(data, options: options)
        case .webp: return try WebPCodec.decode(data, options: options)
        }
    }

    /// Encodes an image in the given format.
    public static func encode(_ image: PixelImage, as format: ImageFormat, options: EncodeOptions = EncodeOptions()) throws(InpaintError) -> [UInt8] {
        switch format {
        case .png: return try PNGCodec.encode(image, level: options.pngCompressionLevel)
        case .jpeg: return try JPEGCodec.encode(image, quality: options.jpegQuality)
        case .webp: return try WebPCodec.encode(image, lossless: options.webpLossless, quality: options.webpQuality)
        }
    }

    /// Reads and decodes a file; error messages are prefixed with the path.
    public static func read(path: String, options: DecodeOptions = DecodeOptions()) throws(InpaintError) -> PixelImage {
        let data = try FileIO.read(path)
        do {
            return try decode(data, options: options)
        } catch {
            throw error.prefixed(path)
        }
    }

    /// Encodes and writes a file; the format follows the extension (PNG if unknown).
    public static func write(_ image: PixelImage, path: String, format: ImageFormat? = nil, options: EncodeOptions = EncodeOptions()) throws(InpaintError) {
        let f = format ?? ImageFormat.fromPath(path) ?? .png
        if f == .png {
            let rc = image.pixels.withUnsafeBufferPointer {
                ic_png_write_file(path, $0.baseAddress, Int32(image.width), Int32(image.height), Int32(image.channels), options.pngCompressionLevel)
            }
            if rc != IC_OK { throw rc == IC_IO ? .io("\(path): cannot write PNG") : codecError(rc, "PNG") }
            return
        }
        let bytes = try encode(image, as: f, options: options)
        try FileIO.write(bytes, to: path)
    }

    /// Checks a header-reported size against the limit.
    static func checkLimits(width: Int, height: Int, options: DecodeOptions) throws(InpaintError) {
        if width <= 0 || height <= 0 { throw .imageCorrupt("invalid image dimensions \(width)x\(height)") }
        if width.multipliedReportingOverflow(by: height).overflow || width * height > options.maxPixels {
            throw .imageTooLarge(width: width, height: height, maxPixels: options.maxPixels)
        }
    }

    static func codecError(_ rc: Int32, _ what: String) -> InpaintError {
        switch rc {
        case IC_UNSUPPORTED: .unsupportedImage("unsupported \(what) variant")
        case IC_NOMEM: .io("out of memory while processing \(what)")
        case IC_IO: .io("\(what) encoding failed")
        case IC_NOLIB: .unsupportedImage("\(what) needs libwebp's runtime library (libwebp.so.7, Debian's libwebp7), which is not installed")
        default: .imageCorrupt("corrupt or truncated \(what) file")
        }
    }
}

extension InpaintError {
    /// The same error with `prefix: ` in front of its message.
    func prefixed(_ prefix: String) -> InpaintError {
        switch self {
        case .imageCorrupt(let m): .imageCorrupt("\(prefix): \(m)")
        case .unsupportedImage(let m): .unsupportedImage("\(prefix): \(m)")
        case .io(let m): .io(m.hasPrefix(prefix) ? m : "\(prefix): \(m)")
        case .invalidArgument(let m): .invalidArgument("\(prefix): \(m)")
        case .maskRequired(let m): .maskRequired("\(prefix): \(m)")
        case .imageTooLarge, .cancelled: self
        }
    }
}
