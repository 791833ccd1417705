import AsyncHTTPClient
import NIOCore
import NIOHTTP1

/// The production transport: AsyncHTTPClient, one shared `HTTPClient`; a request gives up after `timeout`
/// (a streamed one only while connecting and waiting for the head).
public struct AsyncHTTPClientTransport: ClientTransport {
    public let client: HTTPClient
    public let timeout: TimeAmount

    public init(client: HTTPClient = .shared, timeout: TimeAmount = .seconds(60)) {
        self.client = client
        self.timeout = timeout
    }

    public func send(_ request: ClientRequest, baseURL: String) async throws -> ClientResponse {
        var url = request.absoluteURL ?? ((baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL) + request.path)
        if !request.query.isEmpty {
            url += "?" + request.query.map { PercentEncoding.queryComponent($0.name) + "=" + PercentEncoding.queryComponent($0.value) }.joined(separator: "&")
        }
        var outgoing = HTTPClientRequest(url: url)
        outgoing.method = HTTPMethod(rawValue: request.method)
        for header in request.headers { outgoing.headers.add(name: header.name, value: header.value) }
        if let body = request.body { outgoing.body = .bytes(ByteBuffer(bytes: body)) }
        let response = try await client.execute(outgoing, timeout: timeout)
        let headers = response.headers.map { (name: $0.name, value: $0.value) }
        if request.streams, (200..<300).contains(Int(response.status.code)) {
            let body = response.body
            let stream = AsyncThrowingStream<[UInt8], any Error> { continuation in
                let reader = Task {
                    do {
                        for try await chunk in body { continuation.yield(Array(buffer: chunk)) }
                        continuation.finish()
                    } catch {
                        continuation.finish(throwing: error)
                    }
                }
                continuation.onTermination = { _ in reader.cancel() }
            }
            return ClientResponse(status: Int(response.status.code), headers: headers, body: [], stream: stream)
        }
        var collected = try await response.body.collect(upTo: 1 << 30)
        let bytes = collected.readBytes(length: collected.readableBytes) ?? []
        return ClientResponse(status: Int(response.status.code), headers: headers, body: bytes)
    }
}
