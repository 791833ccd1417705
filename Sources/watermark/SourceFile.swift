import Crypto
import Foundation
import WatermarkClient

/// A file `watermark submit` sends: its size, its type read from its first bytes, and its SHA-256 read through once,
/// so a video is never whole in memory (its chunks are read from the file when sent).
struct SourceFile {
    let path: String
    let size: Int64
    let contentType: UploadPolicyRequest.ContentType
    let sha256: String

    var isVideo: Bool { [.videoMp4, .videoQuicktime, .videoWebm].contains(contentType) }

    /// Nil when the file is of no type the service takes.
    init?(path: String) throws {
        guard let file = FileHandle(forReadingAtPath: path) else { throw CommandFailure(.refused, "cannot read the file") }
        defer { try? file.close() }
        let head = Array((try? file.read(upToCount: 64)) ?? Data())
        guard let type = Self.contentType(of: head) else { return nil }
        try? file.seek(toOffset: 0)
        var hasher = SHA256()
        var size: Int64 = 0
        while let piece = try? file.read(upToCount: 1 << 20), !piece.isEmpty {
            hasher.update(data: piece)
            size += Int64(piece.count)
        }
        self.path = path
        self.size = size
        contentType = type
        sha256 = hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    /// `count` bytes from `offset`.
    func bytes(at offset: Int64, count: Int) throws -> [UInt8] {
        guard let file = FileHandle(forReadingAtPath: path) else { throw CommandFailure(.refused, "cannot read the file") }
        defer { try? file.close() }
        try file.seek(toOffset: UInt64(offset))
        return Array(try file.read(upToCount: count) ?? Data())
    }

    static func contentType(of bytes: [UInt8]) -> UploadPolicyRequest.ContentType? {
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]) { return .imagePng }
        if bytes.starts(with: [0xFF, 0xD8, 0xFF]) { return .imageJpeg }
        if bytes.count > 12, bytes.starts(with: Array("RIFF".utf8)), Array(bytes[8..<12]) == Array("WEBP".utf8) { return .imageWebp }
        if bytes.count >= 12, Array(bytes[4..<8]) == Array("ftyp".utf8) { return Array(bytes[8..<12]) == Array("qt  ".utf8) ? .videoQuicktime : .videoMp4 }
        if bytes.starts(with: [0x1A, 0x45, 0xDF, 0xA3]), String(decoding: bytes, as: UTF8.self).contains("webm") { return .videoWebm }
        return nil
    }
}
