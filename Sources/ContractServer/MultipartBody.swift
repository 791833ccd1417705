import ContractRuntime
import Foundation
import MultipartKit
import NIOCore

/// Splits a `multipart/form-data` body into its parts (MultipartKit's parser), within limits: the body itself is
/// bounded by the upload limit before it gets here; the number of parts and each part's header block are bounded here.
enum MultipartBody {
    /// What a body that cannot be read as `multipart/form-data` is refused with (40001 at `/body`).
    struct Malformed: Error, CustomStringConvertible {
        var description: String
    }

    static let maxParts = 1000
    static let maxHeaderBytes = 16 * 1024

    static func parts(of body: ByteBuffer, contentType: String) throws(Malformed) -> [FormPart] {
        guard let boundary = parameter("boundary", of: contentType), !boundary.isEmpty, boundary.count <= 70 else {
            throw Malformed(description: "is multipart/form-data without a boundary parameter in Content-Type")
        }
        let parser = MultipartParser(boundary: boundary)
        var parts: [FormPart] = []
        var headers: [(name: String, value: String)] = []
        var headerBytes = 0
        var bytes: [UInt8] = []
        var failure: Malformed?
        parser.onHeader = { name, value in
            headerBytes += name.utf8.count + value.utf8.count
            headers.append((name, value))
        }
        parser.onBody = { buffer in
            bytes.append(contentsOf: buffer.readableBytesView)
            buffer.moveReaderIndex(forwardBy: buffer.readableBytes)
        }
        parser.onPartComplete = {
            defer { headers = []; headerBytes = 0; bytes = [] }
            guard failure == nil else { return }
            guard parts.count < maxParts else { failure = Malformed(description: "has more than \(maxParts) parts"); return }
            guard headerBytes <= maxHeaderBytes else { failure = Malformed(description: "has a part whose headers exceed \(maxHeaderBytes) bytes"); return }
            let disposition = headers.first { $0.name.lowercased() == "content-disposition" }?.value ?? ""
            guard disposition.lowercased().hasPrefix("form-data"), let name = parameter("name", of: disposition) else {
                failure = Malformed(description: "has a part without Content-Disposition: form-data; name=…")
                return
            }
            let contentType = headers.first { $0.name.lowercased() == "content-type" }?.value
            parts.append(FormPart(name: name, filename: parameter("filename", of: disposition), contentType: contentType, bytes: bytes))
        }
        do {
            try parser.execute(body)
        } catch {
            throw Malformed(description: "is not a well-formed multipart/form-data body")
        }
        if let failure { throw failure }
        // The parser keeps a part that never ends to itself: a body cut short must not lose its last part unnoticed.
        let closing = Array("--\(boundary)--".utf8)
        var tail = Array(body.readableBytesView.suffix(closing.count + 4))
        while let last = tail.last, last == UInt8(ascii: "\r") || last == UInt8(ascii: "\n") || last == UInt8(ascii: " ") { tail.removeLast() }
        guard tail.count >= closing.count, Array(tail.suffix(closing.count)) == closing else {
            throw Malformed(description: "is not a well-formed multipart/form-data body (it does not end with its closing boundary)")
        }
        guard !parts.isEmpty else { throw Malformed(description: "is not a well-formed multipart/form-data body (no parts)") }
        return parts
    }

    /// A parameter of a header value (`boundary=…`, `name="…"`), quotes removed.
    static func parameter(_ key: String, of value: String) -> String? {
        for item in value.split(separator: ";").dropFirst() {
            let pair = item.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces).lowercased() == key else { continue }
            var text = pair[1].trimmingCharacters(in: .whitespaces)
            if text.count >= 2, text.hasPrefix("\""), text.hasSuffix("\"") { text = String(text.dropFirst().dropLast()) }
            return text
        }
        return nil
    }
}
