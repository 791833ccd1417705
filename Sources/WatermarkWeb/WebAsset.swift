import Crypto
import Foundation

/// One file of the web app as served: its bytes (and their gzip form when that is smaller), media type
/// and entity tag (a digest of the bytes, so a browser revalidates cheaply and never keeps a stale
/// module after an upgrade).
public struct WebAsset: Sendable {
    public let bytes: Data
    /// The bytes gzip-compressed, for clients that accept it; nil when compressing does not pay.
    public let gzipped: Data?
    public let contentType: String
    public let entityTag: String

    public init(bytes: Data, contentType: String) {
        self.bytes = bytes
        self.contentType = contentType
        let digest = SHA256.hash(data: bytes).prefix(12).map { String(format: "%02x", $0) }.joined()
        self.entityTag = "\"\(digest)\""
        let compressible = contentType.hasPrefix("text/") || contentType.hasPrefix("application/") || contentType.hasPrefix("image/svg")
        self.gzipped = compressible ? Gzip.compress(bytes).flatMap { $0.count < bytes.count * 9 / 10 ? $0 : nil } : nil
    }

    /// The media type of a file, by its extension (`application/octet-stream` when unknown).
    public static func contentType(ofFile name: String) -> String {
        switch (name as NSString).pathExtension.lowercased() {
        case "html": "text/html; charset=utf-8"
        case "js", "mjs": "text/javascript; charset=utf-8"
        case "css": "text/css; charset=utf-8"
        case "json": "application/json"
        case "svg": "image/svg+xml"
        case "png": "image/png"
        case "ico": "image/x-icon"
        case "ts": "application/typescript; charset=utf-8"
        case "txt": "text/plain; charset=utf-8"
        default: "application/octet-stream"
        }
    }
}
