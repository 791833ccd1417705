/// Every error the library throws. `code` is a stable machine-readable name.
public enum InpaintError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The bytes are not a decodable PNG, JPEG or WebP file (also: truncated files).
    case imageCorrupt(String)
    /// A valid file of a variant this library does not handle (e.g. CMYK JPEG).
    case unsupportedImage(String)
    /// The header announces more pixels than the configured limit (decompression bomb guard).
    case imageTooLarge(width: Int, height: Int, maxPixels: Int)
    /// A file could not be read or written.
    case io(String)
    /// Mask and image dimensions differ, or another argument is invalid.
    case invalidArgument(String)
    /// Automatic detection found nothing with enough confidence: a mask must be supplied.
    case maskRequired(String)
    /// The operation was cancelled (task cancellation or a `CancellationToken`).
    case cancelled

    /// Stable error code, e.g. `IMAGE_CORRUPT`.
    public var code: String {
        switch self {
        case .imageCorrupt: "IMAGE_CORRUPT"
        case .unsupportedImage: "IMAGE_UNSUPPORTED"
        case .imageTooLarge: "IMAGE_TOO_LARGE"
        case .io: "IO_ERROR"
        case .invalidArgument: "INVALID_ARGUMENT"
        case .maskRequired: "MASK_REQUIRED"
        case .cancelled: "CANCELLED"
        }
    }

    /// Human-readable message (without the code).
    public var message: String {
        switch self {
        case .imageCorrupt(let m), .unsupportedImage(let m), .io(let m), .invalidArgument(let m), .maskRequired(let m): m
        case .imageTooLarge(let w, let h, let maxPixels):
            "image is \(w)x\(h) = \(w * h) pixels, limit is \(maxPixels)"
        case .cancelled: "operation cancelled"
        }
    }

    /// `message (CODE)`.
    public var description: String { "\(message) (\(code))" }
}
