import Crypto
import Foundation
import InpaintCore
import WatermarkDatabase

/// Checks an uploaded file against what its upload policy declared before the asset becomes
/// UPLOADED: the exact size, the content type sniffed from the bytes, the SHA-256 when one was
/// given, and that it decodes as an image within the pixel limit (the decoder checks the header's
/// dimensions before allocating, so a decompression bomb is refused cheaply).
struct AssetIntake: Sendable {
    let maxPixels: Int64

    /// Why an upload is refused.
    enum Rejection: Error, Equatable {
        case largerThanDeclared(declared: Int64)
        case smallerThanDeclared(declared: Int64, actual: Int)
        case wrongType(declared: String, sniffed: String?)
        case checksumMismatch
        case tooManyPixels(width: Int, height: Int, maxPixels: Int64)
        case undecodable(String)
        /// A video FFmpeg cannot read, or one beyond the limits (the reason says which).
        case unusableVideo(String)

        var message: String {
            switch self {
            case .largerThanDeclared(let declared): "the upload is larger than the \(declared) bytes declared"
            case .smallerThanDeclared(let declared, let actual): "the upload has \(actual) bytes, not the \(declared) declared"
            case .wrongType(let declared, let sniffed): "the file is \(sniffed ?? "of no supported type"), not the \(declared) declared"
            case .checksumMismatch: "the file's SHA-256 is not the one declared"
            case .tooManyPixels(let width, let height, let maxPixels): "the image is \(width)×\(height), more than \(maxPixels) pixels"
            case .undecodable(let reason): "the file does not decode as an image: \(reason)"
            case .unusableVideo(let reason): reason
            }
        }
    }

    /// The decoded dimensions of an acceptable upload of `asset`.
    func inspect(_ bytes: [UInt8], for asset: AssetRow) throws(Rejection) -> (width: Int32, height: Int32) {
        if bytes.count > asset.sizeBytes { throw .largerThanDeclared(declared: asset.sizeBytes) }
        if bytes.count < asset.sizeBytes { throw .smallerThanDeclared(declared: asset.sizeBytes, actual: bytes.count) }
        let sniffed = MediaSniffer.contentType(of: bytes)
        guard sniffed == asset.contentType.rawValue else { throw .wrongType(declared: asset.contentType.rawValue, sniffed: sniffed) }
        if let declared = asset.sha256, SHA256.hash(data: bytes).hexDigits != declared { throw .checksumMismatch }
        do {
            let image = try ImageCodec.decode(bytes, options: DecodeOptions(maxPixels: Int(clamping: maxPixels), applyExifOrientation: true))
            return (Int32(image.width), Int32(image.height))
        } catch .imageTooLarge(let width, let height, _) {
            throw .tooManyPixels(width: width, height: height, maxPixels: maxPixels)
        } catch {
            throw .undecodable(error.description)
        }
    }
}
