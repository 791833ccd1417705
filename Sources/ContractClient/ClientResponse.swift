import ContractRuntime

/// An answer as the transport received it: status, headers and the whole body (or, for a streamed
/// request, the body as it arrives).
public struct ClientResponse: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    /// The body's chunks as they arrive, when the request asked to stream (`body` is then empty).
    public var stream: AsyncThrowingStream<[UInt8], any Error>?

    public init(status: Int, headers: [(name: String, value: String)], body: [UInt8], stream: AsyncThrowingStream<[UInt8], any Error>? = nil) {
        self.status = status
        self.headers = headers
        self.body = body
        self.stream = stream
    }

    /// The value of a header, compared without case.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// The first 200 bytes of the body as text, for errors that show what came back.
    public var excerpt: String {
        let text = String(decoding: body.prefix(200), as: UTF8.self)
        return body.count > 200 ? text + "…" : text
    }
}
