import ContractRuntime
import Foundation
import HTTPTypes
import HummingbirdTesting
import InpaintCore
import NIOCore
import Testing
import WatermarkAPI

/// Real image files and the upload round trip a client makes: ask for a policy, PUT the bytes to
/// the signed URL.
enum UploadFixtures {
    /// A 64×48 PNG: a grey photo stand-in with a white "logo" box in its lower right corner.
    static let png: [UInt8] = {
        var image = PixelImage(width: 64, height: 48, channels: 3, fill: 90)
        for y in 36..<44 { for x in 44..<60 { for c in 0..<3 { image.pixels[(y * 64 + x) * 3 + c] = 255 } } }
        return try! PNGCodec.encode(image)
    }()

    static let jpeg: [UInt8] = try! JPEGCodec.encode(PixelImage(width: 32, height: 32, channels: 3, fill: 128))

    /// The upload policy for `bytes` declared as `contentType` (`size` defaults to the real size).
    static func policy(
        _ client: some TestClientProtocol, token: String, bytes: [UInt8], contentType: String = "image/png", size: Int? = nil,
        sha256: String? = nil
    ) async throws -> TestResponse {
        let checksum = sha256.map { #","sha256":"\#($0)""# } ?? ""
        return try await client.send(
            .post, "/v1/assets/upload-policy", json: #"{"fileName":"holiday.png","contentType":"\#(contentType)","sizeBytes":\#(size ?? bytes.count)\#(checksum)}"#,
            key: "policy-\(UUID())", token: token)
    }

    /// PUTs `bytes` as `contentType` to a policy's signed upload link (its path and query; the test client has no host).
    static func put(_ client: some TestClientProtocol, link: String, bytes: [UInt8], contentType: String) async throws -> TestResponse {
        try await client.execute(uri: pathAndQuery(link), method: .put, headers: [.contentType: contentType], body: ByteBuffer(bytes: bytes))
    }

    /// PUTs `bytes` to the policy's link, as the policy's Content-Type.
    static func put(_ client: some TestClientProtocol, _ policy: UploadPolicy, bytes: [UInt8]) async throws -> TestResponse {
        try await put(client, link: policy.uploadUrl, bytes: bytes, contentType: policy.headers["Content-Type"] ?? "")
    }

    /// A signed link's path and query.
    static func pathAndQuery(_ url: String) -> String {
        let parsed = URLComponents(string: url)!
        return parsed.path + "?" + (parsed.query ?? "")
    }

    /// An uploaded PNG asset of the signed-in user.
    static func uploadedAsset(_ client: some TestClientProtocol, token: String) async throws -> UUID {
        let policy = try ServiceHarness.data(try await Self.policy(client, token: token, bytes: png), as: UploadPolicy.self)
        let stored = try await put(client, policy, bytes: png)
        #expect(stored.status == .ok)
        return policy.assetId
    }

    /// A 240x160 textured photo (smooth shading with noise), and the same photo with a row of ten white glyph-like
    /// bars blended in at 0.5 (x 20...211, y 70...89: what auto-detection finds on it).
    static let photo: (clean: [UInt8], marked: [UInt8]) = {
        let w = 240, h = 160
        var image = PixelImage(width: w, height: h, channels: 3)
        var seed: UInt32 = 5
        for y in 0..<h {
            for x in 0..<w {
                seed = seed &* 1664525 &+ 1013904223
                let noise = Int(seed >> 28)
                image.pixels[(y * w + x) * 3] = UInt8(min(230, 30 + x * 120 / w + noise))
                image.pixels[(y * w + x) * 3 + 1] = UInt8(min(230, 50 + y * 100 / h + noise))
                image.pixels[(y * w + x) * 3 + 2] = UInt8(min(230, 80 + (x + y) % 40 + noise))
            }
        }
        var alpha = [Float](repeating: 0, count: w * h)
        for g in 0..<10 {
            let gx = 20 + g * 20
            for y in 70..<90 { for x in gx..<(gx + 4) { alpha[y * w + x] = 0.5 } }
            for y in 70..<74 { for x in gx..<(gx + 12) { alpha[y * w + x] = 0.5 } }
        }
        let marked = WatermarkMatte(width: w, height: h, alpha: alpha, uniformColor: (255, 255, 255)).apply(to: image)
        return (try! PNGCodec.encode(image), try! PNGCodec.encode(marked))
    }()
}
