import ContractRuntime
import Crypto
import Foundation
import HTTPTypes
import HummingbirdTesting
import InpaintCore
import NIOCore
import PostgresNIO
import Testing
import VideoCore
import WatermarkClient
@testable import WatermarkService

/// Upload policies, the signed local upload route and what it refuses, through the generated
/// router over real PostgreSQL.
@Suite("watermark serve: assets and uploads")
struct AssetOperationsTests {
    /// PUTs `bytes` to the policy's signed upload link (raw: what the link answers is what these tests check), as
    /// `contentType` (the policy's Content-Type by default).
    static func put(_ client: some TestClientProtocol, _ policy: UploadPolicy, bytes: [UInt8], contentType: String? = nil) async throws -> TestResponse {
        try await UploadFixtures.put(client, link: policy.uploadUrl, bytes: bytes, contentType: contentType ?? policy.headers["Content-Type"] ?? "")
    }

    /// The upload policy `user` asks for `bytes` (`size` defaults to the real size).
    static func policy(
        _ user: ServiceUser, for bytes: [UInt8], contentType: UploadPolicyRequest.ContentType = .imagePng, size: Int? = nil, sha256: String? = nil
    ) async throws -> UploadPolicy {
        try await user.api.createUploadPolicy(
            idempotencyKey: "policy-\(UUID())",
            body: UploadPolicyRequest(fileName: "holiday.png", contentType: contentType, sizeBytes: Int64(size ?? bytes.count), sha256: sha256)
        ).body
    }

    @Test func anUploadIsCheckedAndTheAssetRecordsItsSizeAndItsOriginalComesBack() async throws {
        try await ServiceHarness.with { app, harness in
            try await app.test(.router) { client in
                let ada = try await ServiceUser.register(client)
                let png = UploadFixtures.png
                let checksum = SHA256.hash(data: png).map { String(format: "%02x", $0) }.joined()
                let policy = try await Self.policy(ada, for: png, sha256: checksum)
                #expect(policy.method == .put && policy.headers == ["Content-Type": "image/png"])
                #expect(abs(policy.expireAt.timeIntervalSinceNow - 600) < 5)
                #expect(policy.uploadUrl.hasPrefix("http://127.0.0.1:8080/v1/storage/uploads/\(policy.assetId.uuidString.lowercased())?expires="))

                let pending = try await ada.api.getAsset(assetId: policy.assetId).body
                #expect(pending.status == .pendingUpload && pending.width == nil && pending.uploadedAt == nil)
                await expectFailure(42201, status: 422) { try await ada.api.getAssetDownload(assetId: policy.assetId) }

                let stored = try await Self.put(client, policy, bytes: png)
                #expect(stored.status == .ok)
                let asset = try ServiceHarness.data(stored, as: Asset.self)
                #expect(asset.status == .uploaded && asset.width == 64 && asset.height == 48 && asset.sizeBytes == Int64(png.count))
                let onDisk = try await harness.storage.read("assets/\(policy.assetId.uuidString.lowercased())", maxBytes: 1 << 20)
                #expect(onDisk == png)

                // The same URL again: the asset is already uploaded.
                let again = try await Self.put(client, policy, bytes: png)
                #expect(try again.status == .unprocessableContent && ServiceHarness.code(again) == 42201)
                // Another user cannot see it.
                let bob = try await ServiceUser.register(client, email: "bob@example.com", password: "another-long-passphrase", displayName: "Bob")
                await expectFailure(40401, status: 404) { try await bob.api.getAsset(assetId: policy.assetId) }
                await expectFailure(40401, status: 404) { try await bob.api.getAssetDownload(assetId: policy.assetId) }

                // The original comes back through a signed link (raw: the link's answer is the point); an expired or
                // altered link does not, nor one to a deleted asset.
                let link = try await ada.api.getAssetDownload(assetId: policy.assetId).body
                #expect(link.contentType == .imagePng && link.sizeBytes == Int64(png.count) && abs(link.expireAt.timeIntervalSinceNow - 900) < 5)
                let original = try await client.execute(uri: UploadFixtures.pathAndQuery(link.url), method: .get)
                #expect(original.status == .ok && original.headers[.contentType] == "image/png" && Array(original.body.readableBytesView) == png)
                let path = "/v1/storage/originals/\(policy.assetId.uuidString.lowercased())"
                let stale = harness.auth.urlSigner.url(base: "", method: "GET", path: path, expires: Date().addingTimeInterval(-1))
                try TaskLifecycleTests.expect(try await client.execute(uri: stale, method: .get), .unauthorized, 40102)
                // A later expiry than was signed.
                let signed = try #require(URLComponents(string: link.url))
                let expiry = try #require(signed.queryItems?.first { $0.name == "expires" }?.value.flatMap { Int($0) })
                let forged = UploadFixtures.pathAndQuery(link.url).replacingOccurrences(of: "expires=\(expiry)", with: "expires=\(expiry + 3_600)")
                try TaskLifecycleTests.expect(try await client.execute(uri: forged, method: .get), .unauthorized, 40101)
                _ = try await ada.api.deleteAsset(assetId: policy.assetId)
                try TaskLifecycleTests.expect(try await client.execute(uri: UploadFixtures.pathAndQuery(link.url), method: .get), .notFound, 40401)
                await expectFailure(40401, status: 404) { try await ada.api.getAssetDownload(assetId: policy.assetId) }
            }
        }
    }

    @Test func aMaskProposalOutlinesTheMarkInCanvasUnitsAndSaysWhenItIsUnsure() async throws {
        try await ServiceHarness.with { app, _ in
            try await app.test(.router) { client in
                let ada = try await ServiceUser.register(client)
                let marked = try await ada.uploadedAsset(UploadFixtures.photo.marked)
                let proposal = try await ada.api.proposeMask(assetId: marked).body
                #expect(proposal.found && proposal.confidence >= 0.5 && proposal.reason.isEmpty)
                #expect(proposal.kind == .brightText)
                // Rectangles around the bars (x 20...211, y 70...89 of 240x160), in canvas units (8x, 6.75x): most bars'
                // centres are inside one, and nothing far from the row is proposed.
                #expect(!proposal.polygons.isEmpty && proposal.polygons.allSatisfy { $0.points.count == 4 })
                let boxes = proposal.polygons.map { p in (p.points.map(\.x).min()!, p.points.map(\.y).min()!, p.points.map(\.x).max()!, p.points.map(\.y).max()!) }
                let covered = (0..<10).filter { g in
                    let x = Double(20 + g * 20 + 6) * 8, y = 80 * 6.75
                    return boxes.contains { $0.0 <= x && x <= $0.2 && $0.1 <= y && y <= $0.3 }
                }
                #expect(covered.count >= 7, "bars covered: \(covered), rectangles: \(boxes)")
                #expect(boxes.allSatisfy { $0.0 >= 100 && $0.2 <= 1760 && $0.1 >= 420 && $0.3 <= 660 }, "\(boxes)")
                // The proposal is a mask a task takes as it is.
                _ = try await ada.task(asset: marked, mask: MaskInput(polygons: proposal.polygons))

                // The same photo without the mark: nothing confident.
                let clean = try await ada.uploadedAsset(UploadFixtures.photo.clean)
                let unsure = try await ada.api.proposeMask(assetId: clean).body
                #expect(!unsure.found && !unsure.reason.isEmpty)
                #expect(unsure.kind == .none ? unsure.polygons.isEmpty : true)

                // Not uploaded yet: 42201. Another user's: 40401.
                let pending = try await ada.uploadPolicy(for: UploadFixtures.png)
                await expectFailure(42201, status: 422) { try await ada.api.proposeMask(assetId: pending.assetId) }
                let bob = try await ServiceUser.register(client, email: "bob@example.com", displayName: "Bob")
                await expectFailure(40401, status: 404) { try await bob.api.proposeMask(assetId: marked) }
            }
        }
    }

    @Test func anOperatorsLowerUploadLimitIs41301() async throws {
        try await ServiceHarness.with({ $0.maxUploadBytes = 1000 }) { app, _ in
            try await app.test(.router) { client in
                let ada = try await ServiceUser.register(client)
                let refused = await expectFailure(41301, status: 413) { try await ada.uploadPolicy(for: UploadFixtures.png, size: 1001) }
                #expect(refused?.message.contains("1001 bytes is more than the 1000 allowed") == true, "\(String(describing: refused))")
                _ = try await ada.uploadPolicy(for: UploadFixtures.png, size: 1000)
            }
        }
    }

    @Test func badUploadsAreRefusedWithTheirCodes() async throws {
        try await ServiceHarness.with { app, harness in
            try await app.test(.router) { client in
                let ada = try await ServiceUser.register(client)
                let png = UploadFixtures.png
                func policy(_ bytes: [UInt8] = png, size: Int? = nil, sha256: String? = nil) async throws -> UploadPolicy {
                    try await Self.policy(ada, for: bytes, size: size, sha256: sha256)
                }
                func expect(_ response: TestResponse, _ status: HTTPResponse.Status, _ code: Int64, sourceLocation: SourceLocation = #_sourceLocation) throws {
                    #expect(response.status == status, sourceLocation: sourceLocation)
                    #expect(try ServiceHarness.code(response) == code, sourceLocation: sourceLocation)
                }

                // Policies: a type the service does not take (raw: the client would not send a type the contract
                // does not list), video on a deployment without FFmpeg, a size over the limit.
                try expect(try await UploadFixtures.policy(client, token: ada.token, bytes: png, contentType: "image/gif"), .badRequest, 40001)
                await expectFailure(41501, status: 415) { try await ada.uploadPolicy(for: png, contentType: .videoMp4) }
                await expectFailure(41301, status: 413) { try await ada.uploadPolicy(for: png, size: 26 * 1024 * 1024) }

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
                try expect(try await Self.put(client, good, bytes: png, contentType: "image/jpeg"), .unsupportedMediaType, 41501)
                let jpeg = UploadFixtures.jpeg
                try expect(try await Self.put(client, try await policy(jpeg), bytes: jpeg), .unsupportedMediaType, 41501)
                try expect(try await Self.put(client, try await policy(size: png.count + 10), bytes: png), .badRequest, 40001)
                try expect(try await Self.put(client, try await policy(size: png.count - 10), bytes: png), .contentTooLarge, 41301)
                try expect(try await Self.put(client, try await policy(sha256: String(repeating: "0", count: 64)), bytes: png), .badRequest, 40001)
                let corrupt = Array(png.prefix(40)) + [UInt8](repeating: 7, count: png.count - 40)
                let refused = try await Self.put(client, try await policy(corrupt), bytes: corrupt)
                try expect(refused, .badRequest, 40001)
                #expect(String(buffer: refused.body).contains("does not decode as an image"))
                // Nothing was stored for the refused uploads, and the good policy still works.
                #expect(try await Self.put(client, good, bytes: png).status == .ok)
            }
        }
    }

    @Test func chunkedVideoUploadsRefuseWhatDoesNotFit() async throws {
        let tools = try FFmpegTools.locate()
        let clip = try VideoFixtures.clip(width: 160, height: 90, seconds: 1, rate: 10)
        try await ServiceHarness.with({
            $0.video.tools = tools
            $0.video.chunkBytes = 4_096
        }) { app, _ in
            try await app.test(.router) { client in
                let ada = try await ServiceUser.register(client)
                func chunk(_ policy: UploadPolicy, at offset: Int, _ bytes: some Collection<UInt8>) async throws -> TestResponse {
                    try await VideoFixtures.chunk(client, link: policy.uploadUrl, at: offset, bytes)
                }
                func expect(_ response: TestResponse, _ status: HTTPResponse.Status, _ code: Int64, sourceLocation: SourceLocation = #_sourceLocation) throws {
                    #expect(response.status == status, "\(String(buffer: response.body))", sourceLocation: sourceLocation)
                    #expect(try ServiceHarness.code(response) == code, sourceLocation: sourceLocation)
                }
                let policy = try await ada.uploadPolicy(for: clip, contentType: .videoMp4)
                #expect(policy.method == .patch && policy.chunkBytes == 4_096 && policy.headers == ["Content-Type": "application/octet-stream"])
                #expect(try await chunk(policy, at: 0, clip.prefix(4_096)).status == .ok)
                // A chunk at another offset than the bytes received; a chunk over the policy's size; bytes past the declared size.
                try expect(try await chunk(policy, at: 0, clip.prefix(4_096)), .conflict, 40901)
                try expect(try await chunk(policy, at: 4_096, clip[4_096..<min(clip.count, 8_193)]), .contentTooLarge, 41301)
                let tail = try ServiceHarness.data(try await client.send(.get, UploadFixtures.pathAndQuery(policy.uploadUrl)), as: UploadProgress.self)
                #expect(tail.receivedBytes == 4_096 && tail.status == .pendingUpload)
                var offset = 4_096
                while offset < clip.count {
                    let end = min(clip.count, offset + 4_096)
                    let answer = try await chunk(policy, at: offset, clip[offset..<end])
                    #expect(answer.status == .ok, "\(String(buffer: answer.body))")
                    offset = end
                }
                let asset = try await ada.api.getAsset(assetId: policy.assetId).body
                #expect(asset.status == .uploaded && asset.width == 160 && asset.height == 90 && asset.durationMs.map { abs($0 - 1_000) < 150 } == true)
                try expect(try await chunk(policy, at: clip.count, [1]), .unprocessableContent, 42201)
                let over = try await ada.uploadPolicy(for: [1, 2, 3], contentType: .videoMp4)
                try expect(try await chunk(over, at: 0, [1, 2, 3, 4]), .contentTooLarge, 41301)

                // An image declared as a video: refused when complete, and the upload starts again from 0.
                let png = UploadFixtures.png
                let liar = try await ada.uploadPolicy(for: png, contentType: .videoWebm)
                try expect(try await chunk(liar, at: 0, png), .unsupportedMediaType, 41501)
                #expect(try ServiceHarness.data(try await client.send(.get, UploadFixtures.pathAndQuery(liar.uploadUrl)), as: UploadProgress.self).receivedBytes == 0)
                // Chunks to an image's upload URL: images go in one PUT.
                let image = try await ada.uploadPolicy(for: png)
                try expect(try await chunk(image, at: 0, png), .unsupportedMediaType, 41501)
            }
        }
    }

    @Test func anImageOverThePixelLimitIsRefusedFromItsHeader() async throws {
        try await ServiceHarness.with({ $0.maxPixels = 1000 }) { app, _ in
            try await app.test(.router) { client in
                let ada = try await ServiceUser.register(client)
                let policy = try await ada.uploadPolicy(for: UploadFixtures.png)
                let refused = try await Self.put(client, policy, bytes: UploadFixtures.png)
                #expect(try refused.status == .badRequest && ServiceHarness.code(refused) == 40001)
                #expect(String(buffer: refused.body).contains("64×48, more than 1000 pixels"))
            }
        }
    }
}
