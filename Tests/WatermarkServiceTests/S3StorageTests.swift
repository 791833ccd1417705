import AsyncHTTPClient
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import WatermarkAPI
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
                    let token = try await AuthOperationsTests.register(client).tokens.accessToken
                    let png = UploadFixtures.png
                    let policy = try ServiceHarness.data(try await UploadFixtures.policy(client, token: token, bytes: png), as: UploadPolicy.self)
                    #expect(policy.uploadUrl.hasPrefix("\(moto.endpoint)/watermark-test/assets/\(policy.assetId.uuidString.lowercased())?"))
                    #expect(policy.uploadUrl.contains("X-Amz-SignedHeaders=content-type%3Bhost"))

                    // The client PUTs straight to the store; the service checks the bytes when the asset is
                    // next used (here a task for it) or read.
                    #expect(try await Self.put(policy.uploadUrl, png, contentType: "image/png") == 200)
                    let task = try ServiceHarness.data(try await TaskLifecycleTests.create(client, token, asset: policy.assetId, extra: #","mask":\#(TaskLifecycleTests.mask)"#), as: TaskModel.self)
                    let asset = try ServiceHarness.data(try await client.send(.get, "/v1/assets/\(policy.assetId)", token: token), as: Asset.self)
                    #expect(asset.status == .uploaded && asset.width == 64 && asset.height == 48)
                    let pipeline = harness.pipeline
                    var row = try #require(try await pipeline.claim(owner: "s3-test", limit: 1, lease: 30).first)
                    #expect(row.id == task.id)
                    for (status, progress) in [(TaskStatusEnum.detecting, Int16(10)), (.inpainting, 50), (.packaging, 90)] {
                        row = try await pipeline.advance(row, to: status, progress: progress)
                    }
                    row = try await pipeline.succeed(row, result: UploadFixtures.jpeg, contentType: "image/jpeg", fileExtension: "jpg")
                    let result = try ServiceHarness.data(try await client.send(.get, "/v1/tasks/\(task.id)/result", token: token), as: TaskResult.self)
                    #expect(result.resultUrl.hasPrefix("\(moto.endpoint)/watermark-test/results/"))
                    let download = try await HTTPClient.shared.execute(HTTPClientRequest(url: result.resultUrl), timeout: .seconds(10))
                    #expect(download.status.code == 200)
                    #expect(Array(try await download.body.collect(upTo: 1 << 20).readableBytesView) == UploadFixtures.jpeg)

                    // Bytes of another type than declared: refused when used, and removed from the store.
                    let liar = try ServiceHarness.data(try await UploadFixtures.policy(client, token: token, bytes: UploadFixtures.jpeg), as: UploadPolicy.self)
                    #expect(try await Self.put(liar.uploadUrl, UploadFixtures.jpeg, contentType: "image/png") == 200)
                    let refused = try await TaskLifecycleTests.create(client, token, asset: liar.assetId, extra: #","autoDetect":true"#)
                    try TaskLifecycleTests.expect(refused, .unsupportedMediaType, 41501)
                    #expect(try await harness.storage.read("assets/\(liar.assetId.uuidString.lowercased())", maxBytes: 1 << 20) == nil)
                    // Not uploaded at all: the task waits for the bytes (42201).
                    let empty = try ServiceHarness.data(try await UploadFixtures.policy(client, token: token, bytes: png), as: UploadPolicy.self)
                    try TaskLifecycleTests.expect(try await TaskLifecycleTests.create(client, token, asset: empty.assetId), .unprocessableContent, 42201)

                    // Deleting the task removes its objects from the store.
                    #expect(try await client.send(.delete, "/v1/tasks/\(task.id)", token: token).status == .noContent)
                    #expect(try await harness.storage.read(try #require(row.resultKey), maxBytes: 1 << 20) == nil)
                    #expect(try await harness.storage.read("assets/\(policy.assetId.uuidString.lowercased())", maxBytes: 1 << 20) == nil)
                    #expect(await harness.storage.isWritable())
                }
            }
        }
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
