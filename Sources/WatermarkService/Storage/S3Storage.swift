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

    private func presigned(_ method: String, key: String, query: [(String, String)] = [], headers: [(String, String)], expires: Date) -> String {
        let path = objectPath(key)
        let seconds = max(1, min(604_800, Int(expires.timeIntervalSinceNow.rounded(.up))))
        return settings.endpoint + path + "?" + signer.presignedQuery(method: method, path: path, query: query, host: host, headers: headers, seconds: seconds)
    }

    // MARK: multipart uploads (a video in resumable parts, straight from the client)

    /// One part the store holds.
    struct StoredPart: Sendable, Equatable {
        var number: Int
        var size: Int64
        var etag: String
    }

    /// Opens a multipart upload of `key`; its id.
    func startMultipartUpload(_ key: String, contentType: String) async throws -> String {
        let answer = try await send("POST", path: objectPath(key), query: [("uploads", "")], headers: [("content-type", contentType)])
        try Self.expectSuccess(answer, "POST uploads", key)
        guard let id = S3XML.values("UploadId", in: answer.body).first, !id.isEmpty else {
            throw StorageError.backend("S3 POST \(key)?uploads answered no UploadId")
        }
        return id
    }

    /// A URL the client PUTs part `number` of upload `uploadID` to, until `expires`.
    func partURL(_ key: String, uploadID: String, number: Int, expires: Date) -> String {
        presigned("PUT", key: key, query: [("partNumber", String(number)), ("uploadId", uploadID)], headers: [], expires: expires)
    }

    /// The parts the store holds for upload `uploadID`, by number (nil: the store knows no such upload).
    func storedParts(_ key: String, uploadID: String) async throws -> [StoredPart]? {
        var parts: [StoredPart] = []
        var marker = 0
        while true {
            let answer = try await send("GET", path: objectPath(key), query: [("uploadId", uploadID), ("part-number-marker", String(marker))],
                                        maxResponseBytes: 4 << 20)
            if answer.status == .notFound { return nil }
            try Self.expectSuccess(answer, "GET parts", key)
            for part in S3XML.elements("Part", in: answer.body) {
                guard let number = S3XML.values("PartNumber", in: part).first.flatMap({ Int($0) }),
                      let size = S3XML.values("Size", in: part).first.flatMap({ Int64($0) }),
                      let etag = S3XML.values("ETag", in: part).first
                else { continue }
                parts.append(StoredPart(number: number, size: size, etag: etag))
            }
            guard S3XML.values("IsTruncated", in: answer.body).first == "true",
                  let next = S3XML.values("NextPartNumberMarker", in: answer.body).first.flatMap({ Int($0) }), next > marker
            else { break }
            marker = next
        }
        return parts.sorted { $0.number < $1.number }
    }

    /// Joins `parts` into the object `key` and closes the upload.
    func completeMultipartUpload(_ key: String, uploadID: String, parts: [StoredPart]) async throws {
        let list = parts.map { "<Part><PartNumber>\($0.number)</PartNumber><ETag>\(S3XML.escape($0.etag))</ETag></Part>" }.joined()
        let body = Array("<CompleteMultipartUpload>\(list)</CompleteMultipartUpload>".utf8)
        let answer = try await send("POST", path: objectPath(key), query: [("uploadId", uploadID)], headers: [("content-type", "application/xml")], body: body)
        try Self.expectSuccess(answer, "POST complete", key)
        // S3 may answer 200 and report the failure in the body.
        if !S3XML.elements("Error", in: answer.body).isEmpty {
            throw StorageError.backend("S3 completing \(key): \(String(decoding: answer.body.prefix(300), as: UTF8.self))")
        }
    }

    /// Drops upload `uploadID` and its parts (an upload missing already is not an error).
    func abortMultipartUpload(_ key: String, uploadID: String) async throws {
        let answer = try await send("DELETE", path: objectPath(key), query: [("uploadId", uploadID)])
        guard answer.status == .notFound else { try Self.expectSuccess(answer, "DELETE upload", key); return }
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

    /// Streams the object into the file (a video is never whole in memory).
    public func download(_ key: String, to path: String, maxBytes: Int64) async throws -> Bool {
        let request = signedRequest("GET", path: objectPath(key), query: [], headers: [], payloadHash: SHA256.hash(data: [UInt8]()).hexDigits)
        let response: HTTPClientResponse
        do {
            response = try await client.execute(request, timeout: timeout)
        } catch {
            throw StorageError.backend("S3 GET \(key): \(error)")
        }
        if response.status == .notFound { return false }
        guard (200..<300).contains(Int(response.status.code)) else {
            let detail = Array((try? await response.body.collect(upTo: 1 << 16).readableBytesView) ?? [])
            try Self.expectSuccess(Answer(status: response.status, body: detail), "GET", key)
            return false
        }
        guard FileManager.default.createFile(atPath: path, contents: nil), let file = FileHandle(forWritingAtPath: path) else {
            throw StorageError.backend("cannot write \(path)")
        }
        defer { try? file.close() }
        var received: Int64 = 0
        do {
            for try await piece in response.body {
                received += Int64(piece.readableBytes)
                if received > maxBytes { throw StorageError.tooLarge(key: key, maxBytes: Int(clamping: maxBytes)) }
                try file.write(contentsOf: piece.readableBytesView)
            }
        } catch let error as StorageError {
            throw error
        } catch {
            throw StorageError.backend("S3 GET \(key): \(error)")
        }
        return true
    }

    /// Streams the file into the object (the payload is not hashed: `UNSIGNED-PAYLOAD`, as S3 allows over TLS).
    public func upload(_ key: String, from path: String, contentType: String) async throws {
        let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int64) ?? 0
        var request = signedRequest("PUT", path: objectPath(key), query: [], headers: [("content-type", contentType)], payloadHash: "UNSIGNED-PAYLOAD")
        guard let file = FileHandle(forReadingAtPath: path) else { throw StorageError.backend("cannot read \(path)") }
        defer { try? file.close() }
        let pieces = AsyncStream<ByteBuffer> { continuation in
            while let data = try? file.read(upToCount: 1 << 20), !data.isEmpty { continuation.yield(ByteBuffer(bytes: data)) }
            continuation.finish()
        }
        request.body = .stream(pieces, length: .known(size))
        let response: HTTPClientResponse
        do {
            response = try await client.execute(request, timeout: .seconds(3_600))
        } catch {
            throw StorageError.backend("S3 PUT \(key): \(error)")
        }
        let detail = Array((try? await response.body.collect(upTo: 1 << 16).readableBytesView) ?? [])
        try Self.expectSuccess(Answer(status: response.status, body: detail), "PUT", key)
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
        _ method: String, path: String, query: [(String, String)] = [], headers: [(String, String)] = [], body: [UInt8] = [],
        maxResponseBytes: Int = 1 << 20
    ) async throws -> Answer {
        var request = signedRequest(method, path: path, query: query, headers: headers, payloadHash: SHA256.hash(data: body).hexDigits)
        if !body.isEmpty || method == "PUT" || method == "POST" {
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

    /// A request to the store signed with the `Authorization` header (no body yet).
    private func signedRequest(_ method: String, path: String, query: [(String, String)], headers: [(String, String)], payloadHash: String) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: settings.endpoint + path + (query.isEmpty ? "" : "?" + SigV4.canonicalQuery(query)))
        request.method = HTTPMethod(rawValue: method)
        let signing = SigV4.Request(method: method, path: path, query: query, headers: [("host", host)] + headers, payloadHash: payloadHash)
        for (name, value) in headers + signer.authorizationHeaders(for: signing) { request.headers.add(name: name, value: value) }
        return request
    }

    private static func expectSuccess(_ answer: Answer, _ method: String, _ key: String) throws {
        guard (200..<300).contains(Int(answer.status.code)) else {
            // S3 explains itself in an XML <Message>; keep it short.
            let detail = String(decoding: answer.body.prefix(300), as: UTF8.self)
            throw StorageError.backend("S3 \(method) \(key) answered \(answer.status.code) \(answer.status.reasonPhrase): \(detail)")
        }
    }
}
