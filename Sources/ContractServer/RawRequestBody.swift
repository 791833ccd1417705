import ContractRuntime
import NIOCore

/// The body of an operation whose request media types are not JSON (file uploads): the bytes and
/// the media type the client declared, which the runtime has checked is one the contract lists.
public struct RawRequestBody: Sendable, Hashable {
    /// The declared media type without parameters, lower-cased (`image/png`).
    public var contentType: String
    public var bytes: ByteBuffer

    public init(contentType: String, bytes: ByteBuffer) {
        self.contentType = contentType
        self.bytes = bytes
    }
}
