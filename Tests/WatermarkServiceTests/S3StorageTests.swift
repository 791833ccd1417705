import AsyncHTTPClient
import Crypto
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import VideoCore
import WatermarkClient
import WatermarkDatabase
@testable import WatermarkService

/// The S3 storage backend: SigV4 against AWS's published examples, and the whole upload → task →
/// result path against a real S3-compatible server (moto) running locally.
@Suite("storage: S3-compatible backend")
struct S3StorageTests {
    static let example = SigV4(accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", region: "us-east-1")
    static let exampleDate = Date(timeIntervalSince1970: 1_369_353_600)  // 2013-05-24T00:00:00Z

    @Test func signaturesMatchAWSsExamples() {
        // "Authenticating Requests: Using Query Parameters" (GET /test.txt, 86400 s).
        let query = Self.example.presignedQuery(method: "GET", path: "/test.txt", host: "examplebucket.s3.amazonaws.com", headers: [], seconds: 86_400, at: Self.exampleDate)
        #expect(query.contains("X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"))
        #expect(query.contains("X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"))
        // "Authenticating Requests: Using the Authorization Header" (GET /test.txt with a Range).
        let headers = Self.example.authorizationHeaders(for: SigV4.Request(
            method: "GET", path: "/test.txt", headers: [("host", "examplebucket.s3.amazonaws.com"), ("range", "bytes=0-9")],
            payloadHash: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"), at: Self.exampleDate)
        let authorization = headers.first { $0.0 == "authorization" }?.1
        #expect(authorization == "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
    }

    @Test func uploadsAndResultsGoThroughTheStore() async throws {
        try await MotoServer.with { moto in
            let settings = S3Storage.Settings(endpoint: moto.endpoint, bucket: "watermark-test", region: "us-east-1", accessKeyID: "test", secretAccessKey: "test")
            try await ServiceHarness.with({ $0.s3 = settings }) { app, harness in
                try await app.test(.router) { client in
                    let ada = try await ServiceUser.register(client)
                    let png = UploadFixtures.png
                    let policy = try await ada.uploadPolicy(for: png)
                    #expect(policy.uploadUrl.hasPrefix("\(moto.endpoint)/watermark-test/assets/\(policy.assetId.uuidString.lowercased())?"))
                    #expect(policy.uploadUrl.contains("X-Amz-SignedHeaders=content-type%3Bhost"))

                    // The client PUTs straight to the store; the service checks the bytes when the asset is
                    // next used (here a task for it) or read.
                    #expect(try await Self.put(policy.uploadUrl, png, contentType: "image/png") == 200)
                    let task = try await ada.task(asset: policy.assetId, mask: .cornerBox)
                    let asset = try await ada.api.getAsset(assetId: policy.assetId).body
                    #expect(asset.status == .uploaded && asset.width == 64 && asset.height == 48)
                    let pipeline = harness.pipeline
                    var row = try #require(try await pipeline.claim(owner: "s3-test", limit: 1, lease: 30).first)
                    #expect(row.id == task.id)
                    for (status, progress) in [(TaskStatusEnum.detecting, Int16(10)), (.inpainting, 50), (.packaging, 90)] {
                        row = try await pipeline.advance(row, to: status, progress: progress)
                    }
                    row = try await pipeline.succeed(row, result: UploadFixtures.jpeg, contentType: "image/jpeg", fileExtension: "jpg")
                    let result = try await ada.api.getTaskResult(taskId: task.id).body
                    #expect(result.resultUrl.hasPrefix("\(moto.endpoint)/watermark-test/results/"))
                    let download = try await HTTPClient.shared.execute(HTTPClientRequest(url: result.resultUrl), timeout: .seconds(10))
                    #expect(download.status.code == 200)
                    #expect(Array(try await download.body.collect(upTo: 1 << 20).readableBytesView) == UploadFixtures.jpeg)

                    // Bytes of another type than declared: refused when used, and removed from the store.
                    let liar = try await ada.uploadPolicy(for: UploadFixtures.jpeg)
                    #expect(try await Self.put(liar.uploadUrl, UploadFixtures.jpeg, contentType: "image/png") == 200)
                    await expectFailure(41501, status: 415) { try await ada.task(asset: liar.assetId, autoDetect: true) }
                    #expect(try await harness.storage.read("assets/\(liar.assetId.uuidString.lowercased())", maxBytes: 1 << 20) == nil)
                    // Not uploaded at all: the task waits for the bytes (42201).
                    let empty = try await ada.uploadPolicy(for: png)
                    await expectFailure(42201, status: 422) { try await ada.task(asset: empty.assetId) }

                    // Deleting the task removes its objects from the store.
                    #expect(try await ada.api.deleteTask(taskId: task.id) == .noContent)
                    #expect(try await harness.storage.read(try #require(row.resultKey), maxBytes: 1 << 20) == nil)
                    #expect(try await harness.storage.read("assets/\(policy.assetId.uuidString.lowercased())", maxBytes: 1 << 20) == nil)
                    #expect(await harness.storage.isWritable())
                }
            }
        }
    }

    @Test func videosGoInResumablePartsStraightToTheStore() async throws {
        // A 3-s 640×360 clip at a constant 32 Mbit/s (x264's filler makes it big enough): three 5-MiB parts, the last shorter.
        let tools = try FFmpegTools.locate()
        let video = try VideoFixtures.clip(
            width: 640, height: 360, seconds: 3, extra: ["-b:v", "32M", "-minrate", "32M", "-maxrate", "32M", "-bufsize", "32M", "-x264-params", "nal-hrd=cbr"])
        let partBytes = 5 << 20
        try #require(video.count > 2 * partBytes && video.count < 3 * partBytes, "the clip has \(video.count) bytes")
        try await MotoServer.with { moto in
            let settings = S3Storage.Settings(endpoint: moto.endpoint, bucket: "watermark-video", region: "us-east-1", accessKeyID: "test", secretAccessKey: "test")
            try await ServiceHarness.with({
                $0.s3 = settings
                $0.video.tools = tools
                $0.video.partBytes = Int64(partBytes)
            }) { app, harness in
                try await app.test(.router) { client in
                    let ada = try await ServiceUser.register(client)
                    let digest = SHA256.hash(data: video).hexDigits
                    let policy = try await ada.api.createUploadPolicy(
                        idempotencyKey: "policy-\(UUID())",
                        body: UploadPolicyRequest(fileName: "holiday.png", contentType: .videoMp4, sizeBytes: Int64(video.count), sha256: digest)
                    ).body
                    #expect(policy.method == .put && policy.partBytes == Int64(partBytes) && policy.chunkBytes == nil)
                    func parts() async throws -> UploadParts {
                        try await ada.api.listUploadParts(assetId: policy.assetId, count: 3).body
                    }
                    func complete(_ key: String) async throws -> Asset {
                        try await ada.api.completeUpload(assetId: policy.assetId, idempotencyKey: key).body
                    }
                    func slice(_ number: Int) -> [UInt8] { Array(video[((number - 1) * partBytes)..<min(video.count, number * partBytes)]) }

                    let first = try await parts()
                    #expect(first.partCount == 3 && first.received.isEmpty && first.urls.map(\.partNumber) == [1, 2, 3])
                    #expect(first.urls.allSatisfy { $0.url.hasPrefix("\(moto.endpoint)/watermark-video/assets/") && $0.url.contains("partNumber=") })
                    // Parts 1 and 3 arrive, each checked by its ETag (the part's MD5); part 2 is lost on the way.
                    for number in [1, 3] {
                        let (status, etag) = try await Self.putPart(first.urls[number - 1].url, slice(number))
                        #expect(status == 200 && etag == "\"" + Insecure.MD5.hash(data: slice(number)).hexDigits + "\"")
                    }
                    let early = await expectFailure(40001, status: 400) { try await complete("complete-early") }
                    #expect(early?.details.contains { $0.field == "/parts/2" } == true, "\(String(describing: early))")
                    // Resumed: the store says what it holds; only part 2 is sent again.
                    let resumed = try await parts()
                    #expect(resumed.received.map(\.partNumber) == [1, 3] && resumed.received.map(\.sizeBytes) == [Int64(partBytes), Int64(video.count - 2 * partBytes)])
                    #expect(try await Self.putPart(resumed.urls[1].url, slice(2)).status == 200)
                    let asset = try await complete("complete-1")
                    #expect(asset.status == .uploaded && asset.width == 640 && asset.height == 360 && asset.durationMs.map { abs($0 - 3_000) < 100 } == true)
                    // Replayed with its key: the same answer; the object is the whole file.
                    #expect(try await complete("complete-1").id == asset.id)
                    #expect(try await harness.storage.read("assets/\(policy.assetId.uuidString.lowercased())", maxBytes: 16 << 20) == video)

                    // An image sent as a video: refused whole at completion (415), and the next listing starts afresh.
                    let png = UploadFixtures.png
                    let liar = try await ada.uploadPolicy(for: png, contentType: .videoMp4)
                    let liarParts = try await ada.api.listUploadParts(assetId: liar.assetId).body
                    #expect(try await Self.putPart(try #require(liarParts.urls.first).url, png).status == 200)
                    await expectFailure(41501, status: 415) { try await ada.api.completeUpload(assetId: liar.assetId, idempotencyKey: "complete-liar") }
                    let again = try await ada.api.listUploadParts(assetId: liar.assetId).body
                    #expect(again.received.isEmpty)
                }
            }
        }
    }

    /// A PUT of one part to its presigned URL; the status and the store's ETag.
    static func putPart(_ url: String, _ bytes: [UInt8]) async throws -> (status: UInt, etag: String?) {
        var request = HTTPClientRequest(url: url)
        request.method = .PUT
        request.body = .bytes(ByteBuffer(bytes: bytes))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        _ = try await response.body.collect(upTo: 1 << 20)
        return (response.status.code, response.headers.first(name: "ETag"))
    }

    /// A PUT to a presigned URL, as a browser or curl makes it; the status code.
    static func put(_ url: String, _ bytes: [UInt8], contentType: String) async throws -> UInt {
        var request = HTTPClientRequest(url: url)
        request.method = .PUT
        request.headers.add(name: "Content-Type", value: contentType)
        request.body = .bytes(ByteBuffer(bytes: bytes))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        _ = try await response.body.collect(upTo: 1 << 20)
        return response.status.code
    }
}
