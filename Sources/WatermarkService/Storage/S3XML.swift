import Foundation

/// The little XML that S3's multipart answers need read: the text of elements by name, in flat documents
/// without attributes on the elements read (`<UploadId>…</UploadId>`, `<Part>…</Part>`). Hand-written: Foundation's
/// XML parser would link libxml2, which README's first command cannot count on.
enum S3XML {
    /// The contents of every `<name>…</name>` in `document`, in order, entities decoded.
    static func values(_ name: String, in document: [UInt8]) -> [String] {
        elements(name, in: document).map { unescape(String(decoding: $0, as: UTF8.self)) }
    }

    /// The raw contents of every `<name>…</name>` in `document`, in order.
    static func elements(_ name: String, in document: [UInt8]) -> [[UInt8]] {
        let open = Array("<\(name)>".utf8), close = Array("</\(name)>".utf8)
        var found: [[UInt8]] = []
        var index = 0
        while let start = find(open, in: document, from: index) {
            let contentStart = start + open.count
            guard let end = find(close, in: document, from: contentStart) else { break }
            found.append(Array(document[contentStart..<end]))
            index = end + close.count
        }
        return found
    }

    /// `text` safe inside an element.
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    private static func unescape(_ text: String) -> String {
        text.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&apos;", with: "'")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&amp;", with: "&")
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard needle.count <= haystack.count, start <= haystack.count - needle.count else { return nil }
        var index = start
        while index <= haystack.count - needle.count {
            if haystack[index] == needle[0], Array(haystack[index..<(index + needle.count)]) == needle { return index }
            index += 1
        }
        return nil
    }
}
