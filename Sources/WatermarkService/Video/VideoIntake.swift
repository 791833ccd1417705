import Crypto
import Foundation
import VideoCore
import WatermarkDatabase

/// Checks a completely received video file against its upload policy and the deployment's limits before the asset
/// becomes UPLOADED: the exact size, the type sniffed from the bytes, the SHA-256 when one was declared (read
/// through once, never whole in memory), and FFmpeg's reading of the header — a video stream, a frame size,
/// length, frame rate and frame count within the limits — so a task never starts on a file it would refuse.
struct VideoIntake: Sendable {
    let tools: FFmpegTools
    let settings: VideoSettings

    /// What the header says of an acceptable video.
    struct Accepted: Sendable {
        var width: Int32
        var height: Int32
        var durationMs: Int64
    }

    /// The header's facts of the file at `path`, uploaded for `asset`, when it is acceptable.
    func inspect(file path: String, for asset: AssetRow) throws(AssetIntake.Rejection) -> Accepted {
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int64) ?? 0
        if size > asset.sizeBytes { throw .largerThanDeclared(declared: asset.sizeBytes) }
        if size < asset.sizeBytes { throw .smallerThanDeclared(declared: asset.sizeBytes, actual: Int(size)) }
        guard let file = FileHandle(forReadingAtPath: path) else { throw .unusableVideo("the uploaded file cannot be read back") }
        defer { try? file.close() }
        let head = (try? file.read(upToCount: 64)) ?? Data()
        let sniffed = MediaSniffer.contentType(of: head)
        guard sniffed == asset.contentType.rawValue else { throw .wrongType(declared: asset.contentType.rawValue, sniffed: sniffed) }
        if let declared = asset.sha256, Self.sha256(of: file) != declared { throw .checksumMismatch }
        let info: VideoInfo
        do {
            info = try VideoProbe.probe(path, tools: tools)
        } catch {
            // FFmpeg names the file by its path on this server: not the client's business.
            let reason = error.message.replacingOccurrences(of: path + ": ", with: "").replacingOccurrences(of: path, with: "the file")
            throw .unusableVideo("the file is not a video FFmpeg can read: \(reason)")
        }
        return try check(info)
    }

    /// `info` within the limits.
    func check(_ info: VideoInfo) throws(AssetIntake.Rejection) -> Accepted {
        let pixels = Int64(info.width) * Int64(info.height)
        guard pixels <= settings.maxPixels else {
            throw .unusableVideo("the video is \(info.width)×\(info.height), more than \(settings.maxPixels) pixels per frame")
        }
        guard let duration = info.duration, duration > 0 else {
            throw .unusableVideo("the video's header gives no length (a stream without frames, or a broken file)")
        }
        guard duration <= Double(settings.maxDurationSeconds) else {
            throw .unusableVideo("the video lasts \(Int(duration.rounded(.up))) s, more than the \(settings.maxDurationSeconds) s allowed")
        }
        let rate = info.framesPerSecond
        guard rate.isFinite, rate > 0 else { throw .unusableVideo("the video's header gives no frame rate") }
        guard rate <= settings.maxFrameRate else {
            throw .unusableVideo("the video has \(Int(rate.rounded())) frames per second, more than the \(Int(settings.maxFrameRate)) allowed")
        }
        if let frames = info.frameCount, frames == 0 { throw .unusableVideo("the video has no frames") }
        return Accepted(width: Int32(info.width), height: Int32(info.height), durationMs: max(1, Int64((duration * 1_000).rounded())))
    }

    /// Hex SHA-256 of the rest of `file`, read in 1 MiB pieces from the start.
    private static func sha256(of file: FileHandle) -> String {
        var hasher = SHA256()
        try? file.seek(toOffset: 0)
        while let piece = try? file.read(upToCount: 1 << 20), !piece.isEmpty { hasher.update(data: piece) }
        return hasher.finalize().hexDigits
    }
}
