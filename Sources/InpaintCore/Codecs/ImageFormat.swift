/// Container formats the codecs understand.
public enum ImageFormat: String, Sendable, CaseIterable {
    case png, jpeg, webp

    /// Detects the format from the first bytes (magic numbers), or nil.
    public static func sniff<C: Collection>(_ bytes: C) -> ImageFormat? where C.Element == UInt8 {
        let head = Array(bytes.prefix(12))
        if head.count >= 8 && head[0..<8] == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] { return .png }
        if head.count >= 3 && head[0] == 0xFF && head[1] == 0xD8 && head[2] == 0xFF { return .jpeg }
        if head.count >= 12 && head[0..<4] == [0x52, 0x49, 0x46, 0x46] && head[8..<12] == [0x57, 0x45, 0x42, 0x50] {
            return .webp
        }
        return nil
    }

    /// Guesses the format from a file name extension (for choosing an encoder).
    public static func fromPath(_ path: String) -> ImageFormat? {
        let lower = path.lowercased()
        if lower.hasSuffix(".png") { return .png }
        if lower.hasSuffix(".jpg") || lower.hasSuffix(".jpeg") { return .jpeg }
        if lower.hasSuffix(".webp") { return .webp }
        return nil
    }
}

/// Limits and options applied while decoding.
public struct DecodeOptions: Sendable {
    /// Maximum `width * height` accepted; checked from the header before any pixel allocation.
    public var maxPixels: Int
    /// Apply the JPEG EXIF orientation tag (rotate/flip to upright).
    public var applyExifOrientation: Bool

    /// Default: 100 megapixels, EXIF orientation honoured.
    public init(maxPixels: Int = 100_000_000, applyExifOrientation: Bool = true) {
        self.maxPixels = maxPixels
        self.applyExifOrientation = applyExifOrientation
    }
}

/// Options for encoding.
public struct EncodeOptions: Sendable {
    /// zlib level 0...9 for PNG (lower is faster).
    public var pngCompressionLevel: Int32
    /// JPEG quality 1...100.
    public var jpegQuality: Int32
    /// WebP: lossless if true, otherwise lossy with `webpQuality`.
    public var webpLossless: Bool
    /// WebP lossy quality 0...100.
    public var webpQuality: Float

    /// Defaults: PNG level 3, JPEG 92, WebP lossless.
    public init(pngCompressionLevel: Int32 = 3, jpegQuality: Int32 = 92, webpLossless: Bool = true, webpQuality: Float = 90) {
        self.pngCompressionLevel = pngCompressionLevel
        self.jpegQuality = jpegQuality
        self.webpLossless = webpLossless
        self.webpQuality = webpQuality
    }
}
