import AsyncHTTPClient
import Foundation
import NIOCore

/// What the load needs: a signed-in user, an uploaded PNG and a task, made through the API.
struct Fixture {
    let token: String
    let asset: UUID
    let task: UUID

    struct Failure: Error, CustomStringConvertible { let description: String }

    /// A fresh user `name` with an uploaded PNG and a task.
    static func make(port: Int, name: String = "bench") async throws -> Fixture {
        let base = "http://127.0.0.1:\(port)"
        func call(_ method: String, _ url: String, json: String? = nil, bytes: [UInt8]? = nil, headers: [String: String] = [:]) async throws -> [String: Any] {
            var request = HTTPClientRequest(url: url.hasPrefix("http") ? url : base + url)
            request.method = method == "PUT" ? .PUT : .POST
            for (name, value) in headers { request.headers.add(name: name, value: value) }
            if let json {
                request.headers.add(name: "Content-Type", value: "application/json")
                request.body = .bytes(ByteBuffer(string: json))
            }
            if let bytes { request.body = .bytes(ByteBuffer(bytes: bytes)) }
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
            let body = try await response.body.collect(upTo: 1 << 20)
            guard (200..<300).contains(Int(response.status.code)),
                  let object = try JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any],
                  let data = object["data"] as? [String: Any] else {
                throw Failure(description: "\(method) \(url): \(response.status.code) \(String(buffer: body))")
            }
            return data
        }
        let session = try await call("POST", "/v1/auth/register", json: #"{"email":"\#(name)@example.com","password":"benchmark-password","displayName":"Bench"}"#,
                                     headers: ["Idempotency-Key": "\(name)-register", "X-Device-Id": "bench"])
        guard let token = (session["tokens"] as? [String: Any])?["accessToken"] as? String else { throw Failure(description: "no token") }
        let auth = ["Authorization": "Bearer \(token)"]
        let png = Self.png
        let policy = try await call("POST", "/v1/assets/upload-policy", json: #"{"fileName":"bench.png","contentType":"image/png","sizeBytes":\#(png.count)}"#,
                                    headers: auth.merging(["Idempotency-Key": "\(name)-policy"]) { $1 })
        guard let url = policy["uploadUrl"] as? String, let asset = (policy["assetId"] as? String).flatMap(UUID.init(uuidString:)) else { throw Failure(description: "no policy") }
        _ = try await call("PUT", url, bytes: png, headers: ["Content-Type": "image/png"])
        let task = try await call("POST", "/v1/tasks", json: #"{"assetId":"\#(asset.uuidString.lowercased())","mediaType":"IMAGE","autoDetect":true}"#,
                                  headers: auth.merging(["Idempotency-Key": "\(name)-task"]) { $1 })
        guard let id = (task["id"] as? String).flatMap(UUID.init(uuidString:)) else { throw Failure(description: "no task") }
        return Fixture(token: token, asset: asset, task: id)
    }

    /// A 1×1 grey PNG.
    static let png: [UInt8] = [
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x01,
        0x00, 0x00, 0x00, 0x01, 0x08, 0x00, 0x00, 0x00, 0x00, 0x3A, 0x7E, 0x9B, 0x55, 0x00, 0x00, 0x00, 0x0A, 0x49, 0x44, 0x41,
        0x54, 0x78, 0x9C, 0x63, 0x68, 0x00, 0x00, 0x00, 0x82, 0x00, 0x81, 0x77, 0xCD, 0x72, 0xB6, 0x00, 0x00, 0x00, 0x00, 0x49,
        0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
    ]
}
