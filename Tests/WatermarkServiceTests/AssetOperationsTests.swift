import ContractRuntime
import Crypto
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import PostgresNIO
import Testing
import WatermarkAPI
@testable import WatermarkService

/// Upload policies, the signed local upload route and what it refuses, through the generated
/// router over real PostgreSQL.
@Suite("watermark serve: assets and uploads")
struct AssetOperationsTests {
    @Test func anUploadIsCheckedAndTheAssetRecordsItsSize() async throws {
        try await ServiceHarness.with { app, harness in
            try await app.test(.router) { client in
                let token = try await AuthOperationsTests.register(client).tokens.accessToken
                let png = UploadFixtures.png
                let checksum = SHA256.hash(data: png).map { String(format: "%02x", $0) }.joined()
                let created = try await UploadFixtures.policy(client, token: token, bytes: png, sha256: checksum)
                #expect(created.status == .created)
                let policy = try ServiceHarness.data(created, as: UploadPolicy.self)
                #expect(policy.method == .put && policy.headers == ["Content-Type": "image/png"])
                #expect(abs(policy.expireAt.timeIntervalSinceNow - 600) < 5)
                #expect(policy.uploadUrl.hasPrefix("http://127.0.0.1:8080/v1/storage/uploads/\(policy.assetId.uuidString.lowercased())?expires="))

                let pending = try ServiceHarness.data(try await client.send(.get, "/v1/assets/\(policy.assetId)", token: token), as: Asset.self)
                #expect(pending.status == .pendingUpload && pending.width == nil && pending.uploadedAt == nil)

                let stored = try await UploadFixtures.put(client, policy, bytes: png)
                #expect(stored.status == .ok)
                let asset = try ServiceHarness.data(stored, as: Asset.self)
                #expect(asset.status == .uploaded && asset.width == 64 && asset.height == 48 && asset.sizeBytes == Int64(png.count))
                let onDisk = try await harness.storage.read("assets/\(policy.assetId.uuidString.lowercased())", maxBytes: 1 << 20)
                #expect(onDisk == png)

                // The same URL again: the asset is already uploaded.
                let again = try await UploadFixtures.put(client, policy, bytes: png)
                #expect(try again.status == .unprocessableContent && ServiceHarness.code(again) == 42201)
                // Another user cannot see it.
                let other = try await AuthOperationsTests.register(client, #"{"email":"bob@example.com","password":"another-long-passphrase","displayName":"Bob"}"#)
                let hidden = try await client.send(.get, "/v1/assets/\(policy.assetId)", token: other.tokens.accessToken)
                #expect(try hidden.status == .notFound && ServiceHarness.code(hidden) == 40401)
            }
        }
    }

    @Test func anOperatorsLowerUploadLimitIs41301() async throws {
        try await ServiceHarness.with({ $0.maxUploadBytes = 1000 }) { app, _ in
            try await app.test(.router) { client in
                let token = try await AuthOperationsTests.register(client).tokens.accessToken
                let refused = try await UploadFixtures.policy(client, token: token, bytes: UploadFixtures.png, size: 1001)
                #expect(try refused.status == .contentTooLarge && ServiceHarness.code(refused) == 41301)
                #expect(String(buffer: refused.body).contains("1001 bytes is more than the 1000 allowed"))
                #expect(try await UploadFixtures.policy(client, token: token, bytes: UploadFixtures.png, size: 1000).status == .created)
            }
        }
    }

    @Test func badUploadsAreRefusedWithTheirCodes() async throws {
        try await ServiceHarness.with { app, harness in
            try await app.test(.router) { client in
                let token = try await AuthOperationsTests.register(client).tokens.accessToken
                let png = UploadFixtures.png
                func policy(_ bytes: [UInt8] = png, contentType: String = "image/png", size: Int? = nil, sha256: String? = nil) async throws -> UploadPolicy {
                    try ServiceHarness.data(try await UploadFixtures.policy(client, token: token, bytes: bytes, contentType: contentType, size: size, sha256: sha256), as: UploadPolicy.self)
                }
                func expect(_ response: TestResponse, _ status: HTTPResponse.Status, _ code: Int64, sourceLocation: SourceLocation = #_sourceLocation) throws {
                    #expect(response.status == status, sourceLocation: sourceLocation)
                    #expect(try ServiceHarness.code(response) == code, sourceLocation: sourceLocation)
                }

                // Policies: a type the service does not take, a size over the limit.
                try expect(try await UploadFixtures.policy(client, token: token, bytes: png, contentType: "video/mp4"), .badRequest, 40001)
                try expect(try await UploadFixtures.policy(client, token: token, bytes: png, size: 26 * 1024 * 1024), .badRequest, 40001)

                // Signature: altered, expired, or for another asset.
                let good = try await policy()
                try expect(try await client.execute(
                    uri: UploadFixtures.pathAndQuery(good.uploadUrl).replacingOccurrences(of: "signature=", with: "signature=0"), method: .put,
                    headers: [.contentType: "image/png"], body: ByteBuffer(bytes: png)), .badRequest, 40001)
                let path = "/v1/storage/uploads/\(good.assetId.uuidString.lowercased())"
                let expired = harness.auth.urlSigner.url(base: "", method: "PUT", path: path, expires: Date().addingTimeInterval(-1))
                try expect(try await client.execute(uri: expired, method: .put, headers: [.contentType: "image/png"], body: ByteBuffer(bytes: png)), .unauthorized, 40102)
                let forged = String(UploadFixtures.pathAndQuery(good.uploadUrl).dropLast(64)) + String(repeating: "a", count: 64)
                try expect(try await client.execute(uri: forged, method: .put, headers: [.contentType: "image/png"], body: ByteBuffer(bytes: png)), .unauthorized, 40101)
                let unknown = harness.auth.urlSigner.url(base: "", method: "PUT", path: "/v1/storage/uploads/\(UUID().uuidString.lowercased())", expires: Date().addingTimeInterval(60))
                try expect(try await client.execute(uri: unknown, method: .put, headers: [.contentType: "image/png"], body: ByteBuffer(bytes: png)), .notFound, 40401)

                // Content: another Content-Type than declared; bytes of another type; sizes; checksum; corrupt.
                try expect(try await UploadFixtures.put(client, good, bytes: png, contentType: "image/jpeg"), .unsupportedMediaType, 41501)
                let jpeg = UploadFixtures.jpeg
                try expect(try await UploadFixtures.put(client, try await policy(jpeg), bytes: jpeg), .unsupportedMediaType, 41501)
                try expect(try await UploadFixtures.put(client, try await policy(size: png.count + 10), bytes: png), .badRequest, 40001)
                try expect(try await UploadFixtures.put(client, try await policy(size: png.count - 10), bytes: png), .contentTooLarge, 41301)
                try expect(try await UploadFixtures.put(client, try await policy(sha256: String(repeating: "0", count: 64)), bytes: png), .badRequest, 40001)
                let corrupt = Array(png.prefix(40)) + [UInt8](repeating: 7, count: png.count - 40)
                let refused = try await UploadFixtures.put(client, try await policy(corrupt), bytes: corrupt)
                try expect(refused, .badRequest, 40001)
                #expect(String(buffer: refused.body).contains("does not decode as an image"))
                // Nothing was stored for the refused uploads, and the good policy still works.
                #expect(try await UploadFixtures.put(client, good, bytes: png).status == .ok)
            }
        }
    }

    @Test func anImageOverThePixelLimitIsRefusedFromItsHeader() async throws {
        try await ServiceHarness.with({ $0.maxPixels = 1000 }) { app, _ in
            try await app.test(.router) { client in
                let token = try await AuthOperationsTests.register(client).tokens.accessToken
                let policy = try ServiceHarness.data(try await UploadFixtures.policy(client, token: token, bytes: UploadFixtures.png), as: UploadPolicy.self)
                let refused = try await UploadFixtures.put(client, policy, bytes: UploadFixtures.png)
                #expect(try refused.status == .badRequest && ServiceHarness.code(refused) == 40001)
                #expect(String(buffer: refused.body).contains("64×48, more than 1000 pixels"))
            }
        }
    }
}
