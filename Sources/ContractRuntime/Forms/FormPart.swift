/// One part of a `multipart/form-data` body: the field it belongs to, and its bytes with the file name and media type
/// the sender gave (a text field has neither).
public struct FormPart: Sendable, Hashable {
    public var name: String
    public var filename: String?
    public var contentType: String?
    public var bytes: [UInt8]

    public init(name: String, filename: String? = nil, contentType: String? = nil, bytes: [UInt8]) {
        self.name = name
        self.filename = filename
        self.contentType = contentType
        self.bytes = bytes
    }

    /// A text field.
    public init(name: String, text: String, contentType: String? = nil) {
        self.init(name: name, contentType: contentType, bytes: Array(text.utf8))
    }
}
