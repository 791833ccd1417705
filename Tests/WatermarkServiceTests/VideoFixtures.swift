import Crypto
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import VideoCore
import WatermarkClient
@testable import WatermarkService

/// Video files made with FFmpeg for the service tests, and the chunked upload a client makes of them.
enum VideoFixtures {
    /// An H.264 MP4 of FFmpeg's moving test pattern (`extra` arguments before the output, e.g. a bitrate).
    static func clip(width: Int, height: Int, seconds: Double, rate: Int = 25, extra: [String] = []) throws -> [UInt8] {
        let tools = try FFmpegTools.locate()
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("fixture-\(UUID()).mp4").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let ffmpeg = Process()
        ffmpeg.executableURL = URL(fileURLWithPath: tools.ffmpeg)
        ffmpeg.arguments = [
            "-nostdin", "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=\(width)x\(height):rate=\(rate):duration=\(seconds)",
            "-c:v", "libx264", "-pix_fmt", "yuv420p",
        ] + extra + [path]
        try ffmpeg.run()
        ffmpeg.waitUntilExit()
        #expect(ffmpeg.terminationStatus == 0)
        return Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// One chunk of an upload at `offset`, with its SHA-256, PATCHed to the policy's signed `link`.
    static func chunk(_ client: some TestClientProtocol, link: String, at offset: Int, _ bytes: some Collection<UInt8>) async throws -> TestResponse {
        let body = Array(bytes)
        return try await client.execute(
            uri: UploadFixtures.pathAndQuery(link), method: .patch,
            headers: [.contentType: "application/octet-stream", HTTPField.Name("Upload-Offset")!: String(offset),
                      HTTPField.Name("Chunk-SHA256")!: SHA256.hash(data: body).hexDigits],
            body: ByteBuffer(bytes: body))
    }

    /// A video asset of `user`, uploaded chunk by chunk (local storage).
    static func uploadedVideo(_ client: some TestClientProtocol, _ user: ServiceUser, bytes: [UInt8]) async throws -> UUID {
        let policy = try await user.uploadPolicy(for: bytes, contentType: .videoMp4, fileName: "clip.mp4")
        let size = Int(try #require(policy.chunkBytes))
        var offset = 0
        while offset < bytes.count {
            let end = min(bytes.count, offset + size)
            let answer = try await chunk(client, link: policy.uploadUrl, at: offset, bytes[offset..<end])
            #expect(answer.status == .ok, "\(String(buffer: answer.body))")
            offset = end
        }
        return policy.assetId
    }
}
