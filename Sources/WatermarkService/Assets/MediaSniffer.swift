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
            // ISO base media (MP4): a box of type `ftyp` first, at offset 4.
            let head = Array(bytes.prefix(12))
            return head.count >= 12 && head[4..<8] == [0x66, 0x74, 0x79, 0x70] ? "video/mp4" : nil
        }
    }
}
