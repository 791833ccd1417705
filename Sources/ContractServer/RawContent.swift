import ContractRuntime
import Hummingbird

/// A non-JSON response body of a response that declares several media types (an image that may be
/// PNG or JPEG, an export as CSV or NDJSON): the bytes and which of the declared types they are.
public struct RawContent: Sendable {
    public var contentType: String
    public var body: ResponseBody

    public init(contentType: String, body: ResponseBody) {
        self.contentType = contentType
        self.body = body
    }
}
