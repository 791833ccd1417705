import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore
import NIOHTTP1

/// The S3-compatible storage backend (AWS S3, MinIO, …), path-style (`<endpoint>/<bucket>/<key>`):
/// clients upload and download with SigV4-presigned URLs straight to the store; the service
/// itself reads, writes and deletes objects with signed requests.
public struct S3Storage: ObjectStorage {
    /// Where the store is and how to sign for it.
    public struct Settings: Sendable, Hashable {
        public var endpoint: String
        public var bucket: String
        public var region: String
        public var accessKeyID: String
        public var secretAccessKey: String

        public init(endpoint: String, bucket: String, region: String, accessKeyID: String, secretAccessKey: String) {
            self.endpoint = endpoint.hasSuffix("/") ? String(endpoint.dropLast()) : endpoint
            self.bucket = bucket
            self.region = region
            self.accessKeyID = accessKeyID
            self.secretAccessKey = secretAccessKey
        }
    }

    let settings: Settings
    let signer: SigV4
    let host: String
    let client: HTTPClient
    /// How long one request to the store may take.
    let timeout: TimeAmount = .seconds(60)

    public init(_ settings: Settings, client: HTTPClient = .shared) throws {
        guard let url = URL(string: settings.endpoint), let scheme = url.scheme, ["http", "https"].contains(scheme), let host = url.host else {
            throw ServiceConfiguration.Invalid(description: "S3_ENDPOINT=\(settings.endpoint): expected an http(s) URL")
        }
        self.settings = settings
        self.host = url.port.map { "\(host):\($0)" } ?? host
        signer = SigV4(accessKeyID: settings.accessKeyID, secretAccessKey: settings.secretAccessKey, region: settings.region)
        self.client = client
    }

    public var location: String { "\(settings.endpoint)/\(settings.bucket)" }

    public func uploadURL(for asset: UUID, key: String, contentType: String, expires: Date) -> String {
        presigned("PUT", key: key, headers: [("content-type", contentType)], expires: expires)
    }

    public func downloadURL(_ target: DownloadTarget, key: String, expires: Date) -> String {
        presigned("GET", key: key, headers: [], expires: expires)
    }

    private func presigned(_ method: String, key: String, headers: [(String, String)], expires: Date) -> String {
        let path = objectPath(key)
        let seconds = max(1, min(604_800, Int(expires.timeIntervalSinceNow.rounded(.up))))
        return settings.endpoint + path + "?" + signer.presignedQuery(method: method, path: path, host: host, headers: headers, seconds: seconds)
    }

    public func read(_ key: String, maxBytes: Int) async throws -> [UInt8]? {
        let response = try await send("GET", path: objectPath(key), maxResponseBytes: maxBytes)
        if response.status == .notFound { return nil }
        try Self.expectSuccess(response, "GET", key)
        return response.body
    }

    public func write(_ key: String, _ bytes: [UInt8], contentType: String) async throws {
        let response = try await send("PUT", path: objectPath(key), headers: [("content-type", contentType)], body: bytes)
        try Self.expectSuccess(response, "PUT", key)
    }

    public func delete(_ key: String) async throws {
        let response = try await send("DELETE", path: objectPath(key))
        guard response.status == .notFound else { try Self.expectSuccess(response, "DELETE", key); return }
    }

    public func isWritable() async -> Bool {
        let probe = ".health/\(UUID().uuidString)"
        do {
            try await write(probe, Array("ok".utf8), contentType: "text/plain")
            try await delete(probe)
            return true
        } catch {
            return false
        }
    }

    /// Creates the bucket when it does not exist (a fresh MinIO or a test store); an existing one is left alone.
    public func prepareBucket() async throws {
        let path = "/" + SigV4.encode(settings.bucket)
        let head = try await send("HEAD", path: path)
        if (200..<300).contains(Int(head.status.code)) { return }
        guard head.status == .notFound else { try Self.expectSuccess(head, "HEAD", settings.bucket); return }
        let created = try await send("PUT", path: path)
        try Self.expectSuccess(created, "PUT", settings.bucket)
    }

    private func objectPath(_ key: String) -> String {
        "/" + SigV4.encode(settings.bucket) + "/" + SigV4.encode(key, keepSlash: true)
    }

    /// What the store answered, with the whole body read (an unread body would keep its
    /// connection out of the pool).
    struct Answer {
        var status: HTTPResponseStatus
        var body: [UInt8]
    }

    /// A signed request to the store; a successful response's body over `maxResponseBytes` throws `StorageError.tooLarge`.
    private func send(
        _ method: String, path: String, headers: [(String, String)] = [], body: [UInt8] = [], maxResponseBytes: Int = 1 << 20
    ) async throws -> Answer {
        var request = HTTPClientRequest(url: settings.endpoint + path)
        request.method = HTTPMethod(rawValue: method)
        let payloadHash = SHA256.hash(data: body).hexDigits
        let signing = SigV4.Request(method: method, path: path, headers: [("host", host)] + headers, payloadHash: payloadHash)
        for (name, value) in headers + signer.authorizationHeaders(for: signing) { request.headers.add(name: name, value: value) }
        if !body.isEmpty || method == "PUT" {
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let response: HTTPClientResponse
        do {
            response = try await client.execute(request, timeout: timeout)
        } catch {
            throw StorageError.backend("S3 \(method) \(path): \(error)")
        }
        do {
            // The limit is for objects; an error document (XML) may be longer than a tiny object.
            let limit = (200..<300).contains(Int(response.status.code)) ? maxResponseBytes : max(maxResponseBytes, 1 << 16)
            return Answer(status: response.status, body: Array(try await response.body.collect(upTo: limit).readableBytesView))
        } catch is NIOTooManyBytesError {
            throw StorageError.tooLarge(key: path, maxBytes: maxResponseBytes)
        } catch {
            throw StorageError.backend("S3 \(method) \(path): \(error)")
        }
    }

    private static func expectSuccess(_ answer: Answer, _ method: String, _ key: String) throws {
        guard (200..<300).contains(Int(answer.status.code)) else {
            // S3 explains itself in an XML <Message>; keep it short.
            let detail = String(decoding: answer.body.prefix(300), as: UTF8.self)
            throw StorageError.backend("S3 \(method) \(key) answered \(answer.status.code) \(answer.status.reasonPhrase): \(detail)")
        }
    }
}
