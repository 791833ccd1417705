import InpaintCore

/// The content type a file really has, read from its first bytes (magic numbers) — never taken
/// from the name or the request headers.
enum MediaSniffer {
    static func contentType<Bytes: Collection<UInt8>>(of bytes: Bytes) -> String? {
        switch ImageFormat.sniff(bytes) {
        case .png: return "image/png"
        case .jpeg: return "image/jpeg"
        case .webp: return "image/webp"
        case nil:
            let head = Array(bytes.prefix(64))
            // ISO base media (MP4, QuickTime): a box of type `ftyp` first, at offset 4, then the major brand.
            if head.count >= 12, head[4..<8] == [0x66, 0x74, 0x79, 0x70] {
                return head[8..<12] == [0x71, 0x74, 0x20, 0x20] ? "video/quicktime" : "video/mp4"
            }
            // Matroska's EBML header, with the document type `webm`.
            if head.count >= 4, head[0..<4] == [0x1A, 0x45, 0xDF, 0xA3], contains(head, "webm") { return "video/webm" }
            return nil
        }
    }

    private static func contains(_ bytes: [UInt8], _ text: String) -> Bool {
        let needle = Array(text.utf8)
        guard bytes.count >= needle.count else { return false }
        return (0...(bytes.count - needle.count)).contains { Array(bytes[$0..<($0 + needle.count)]) == needle }
    }
}
