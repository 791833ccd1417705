/// A body that is not JSON (an image, a CSV export, an event stream): its bytes and media type.
public struct ClientBody: Sendable, Hashable {
    public var contentType: String
    public var bytes: [UInt8]

    public init(contentType: String, bytes: [UInt8]) {
        self.contentType = contentType
        self.bytes = bytes
    }

    public init(_ response: ClientResponse) {
        self.init(contentType: response.header("Content-Type") ?? "application/octet-stream", bytes: response.body)
    }
}
