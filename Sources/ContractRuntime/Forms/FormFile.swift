/// A file of a `multipart/form-data` body (a property the contract declares as `format: binary`): its bytes, and the
/// file name and media type the sender gave.
public struct FormFile: Sendable, Hashable {
    public var filename: String?
    public var contentType: String?
    public var bytes: [UInt8]

    public init(filename: String? = nil, contentType: String? = nil, bytes: [UInt8]) {
        self.filename = filename
        self.contentType = contentType
        self.bytes = bytes
    }
}
