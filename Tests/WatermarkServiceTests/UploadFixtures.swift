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

    /// PUTs `bytes` to the policy's URL (its path and query; the test client has no host).
    static func put(_ client: some TestClientProtocol, _ policy: UploadPolicy, bytes: [UInt8], contentType: String? = nil) async throws -> TestResponse {
        try await client.execute(
            uri: pathAndQuery(policy.uploadUrl), method: .put, headers: [.contentType: contentType ?? policy.headers["Content-Type"] ?? ""],
            body: ByteBuffer(bytes: bytes))
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
}
