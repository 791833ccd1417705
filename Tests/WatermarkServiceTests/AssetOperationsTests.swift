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

    @Test func aMaskProposalOutlinesTheMarkInCanvasUnitsAndSaysWhenItIsUnsure() async throws {
        try await ServiceHarness.with { app, _ in
            try await app.test(.router) { client in
                let token = try await AuthOperationsTests.register(client).tokens.accessToken
                let marked = try await UploadFixtures.uploadedAsset(client, token: token, bytes: UploadFixtures.photo.marked)
                let response = try await client.send(.get, "/v1/assets/\(marked)/mask-proposal", token: token)
                #expect(response.status == .ok)
                let proposal = try ServiceHarness.data(response, as: MaskProposal.self)
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
                let mask = #"{"polygons":[\#(proposal.polygons.map { p in "{\"points\":[" + p.points.map { "{\"x\":\($0.x),\"y\":\($0.y)}" }.joined(separator: ",") + "]}" }.joined(separator: ","))]}"#
                let created = try await TaskLifecycleTests.create(client, token, asset: marked, extra: #","mask":\#(mask)"#)
                #expect(created.status == .created, "\(String(buffer: created.body))")

                // The same photo without the mark: nothing confident.
                let clean = try await UploadFixtures.uploadedAsset(client, token: token, bytes: UploadFixtures.photo.clean)
                let unsure = try ServiceHarness.data(try await client.send(.get, "/v1/assets/\(clean)/mask-proposal", token: token), as: MaskProposal.self)
                #expect(!unsure.found && !unsure.reason.isEmpty)
                #expect(unsure.kind == .none ? unsure.polygons.isEmpty : true)

                // Not uploaded yet: 42201. Another user's: 40401.
                let pending = try ServiceHarness.data(try await UploadFixtures.policy(client, token: token, bytes: UploadFixtures.png), as: UploadPolicy.self)
                let early = try await client.send(.get, "/v1/assets/\(pending.assetId)/mask-proposal", token: token)
                #expect(early.status == .unprocessableContent)
                #expect(try ServiceHarness.code(early) == 42201)
                let other = try await AuthOperationsTests.register(client, #"{"email":"bob@example.com","password":"correct-horse-battery","displayName":"Bob"}"#)
                let foreign = try await client.send(.get, "/v1/assets/\(marked)/mask-proposal", token: other.tokens.accessToken)
                #expect(foreign.status == .notFound)
                #expect(try ServiceHarness.code(foreign) == 40401)
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

                // Policies: a type the service does not take, video on a deployment without FFmpeg, a size over the limit.
                try expect(try await UploadFixtures.policy(client, token: token, bytes: png, contentType: "image/gif"), .badRequest, 40001)
                try expect(try await UploadFixtures.policy(client, token: token, bytes: png, contentType: "video/mp4"), .unsupportedMediaType, 41501)
                try expect(try await UploadFixtures.policy(client, token: token, bytes: png, size: 26 * 1024 * 1024), .contentTooLarge, 41301)

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

    @Test func chunkedVideoUploadsRefuseWhatDoesNotFit() async throws {
        let tools = try FFmpegTools.locate()
        let clip = try VideoFixtures.clip(width: 160, height: 90, seconds: 1, rate: 10)
        try await ServiceHarness.with({
            $0.video.tools = tools
            $0.video.chunkBytes = 4_096
        }) { app, _ in
            try await app.test(.router) { client in
                let token = try await AuthOperationsTests.register(client).tokens.accessToken
                func chunk(_ policy: UploadPolicy, at offset: Int, _ bytes: some Collection<UInt8>) async throws -> TestResponse {
                    try await VideoFixtures.chunk(client, policy, at: offset, bytes)
                }
                func expect(_ response: TestResponse, _ status: HTTPResponse.Status, _ code: Int64, sourceLocation: SourceLocation = #_sourceLocation) throws {
                    #expect(response.status == status, "\(String(buffer: response.body))", sourceLocation: sourceLocation)
                    #expect(try ServiceHarness.code(response) == code, sourceLocation: sourceLocation)
                }
                let policy = try ServiceHarness.data(try await UploadFixtures.policy(client, token: token, bytes: clip, contentType: "video/mp4"), as: UploadPolicy.self)
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
                let asset = try ServiceHarness.data(try await client.send(.get, "/v1/assets/\(policy.assetId)", token: token), as: Asset.self)
                #expect(asset.status == .uploaded && asset.width == 160 && asset.height == 90 && asset.durationMs.map { abs($0 - 1_000) < 150 } == true)
                try expect(try await chunk(policy, at: clip.count, [1]), .unprocessableContent, 42201)
                let over = try ServiceHarness.data(try await UploadFixtures.policy(client, token: token, bytes: [1, 2, 3], contentType: "video/mp4"), as: UploadPolicy.self)
                try expect(try await chunk(over, at: 0, [1, 2, 3, 4]), .contentTooLarge, 41301)

                // An image declared as a video: refused when complete, and the upload starts again from 0.
                let png = UploadFixtures.png
                let liar = try ServiceHarness.data(try await UploadFixtures.policy(client, token: token, bytes: png, contentType: "video/webm"), as: UploadPolicy.self)
                try expect(try await chunk(liar, at: 0, png), .unsupportedMediaType, 41501)
                #expect(try ServiceHarness.data(try await client.send(.get, UploadFixtures.pathAndQuery(liar.uploadUrl)), as: UploadProgress.self).receivedBytes == 0)
                // Chunks to an image's upload URL: images go in one PUT.
                let image = try ServiceHarness.data(try await UploadFixtures.policy(client, token: token, bytes: png), as: UploadPolicy.self)
                try expect(try await chunk(image, at: 0, png), .unsupportedMediaType, 41501)
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
