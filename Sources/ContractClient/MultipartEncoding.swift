import ContractRuntime
import Foundation
import MultipartKit
import NIOCore
import NIOHTTP1

/// Writes form parts as a `multipart/form-data` body (MultipartKit's serializer) under a fresh boundary.
enum MultipartEncoding {
    static func body(of parts: [FormPart]) -> (bytes: [UInt8], contentType: String) {
        let boundary = "contractgen-" + UUID().uuidString.lowercased()
        let multipartParts = parts.map { part in
            var disposition = "form-data; name=\"\(escaped(part.name))\""
            if let filename = part.filename { disposition += "; filename=\"\(escaped(filename))\"" }
            var headers = HTTPHeaders([("Content-Disposition", disposition)])
            if let contentType = part.contentType { headers.add(name: "Content-Type", value: contentType) }
            return MultipartPart(headers: headers, body: part.bytes)
        }
        var buffer = ByteBuffer()
        // The serializer throws only for a boundary it cannot use; ours is always one it can.
        try? MultipartSerializer().serialize(parts: multipartParts, boundary: boundary, into: &buffer)
        return (Array(buffer.readableBytesView), "multipart/form-data; boundary=\(boundary)")
    }

    /// A quoted-string value: quotes and line breaks percent-encoded, as browsers write them.
    private static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "\"", with: "%22").replacingOccurrences(of: "\r", with: "%0D").replacingOccurrences(of: "\n", with: "%0A")
    }
}
