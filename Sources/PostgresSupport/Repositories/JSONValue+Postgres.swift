import ContractRuntime
import NIOCore
import PostgresNIO

/// `json`/`jsonb` columns are read and written as the contract runtime's `JSONValue`, with the
/// runtime's own serializer and parser (the same bytes the API writes and reads) rather than a
/// round trip through Foundation's `JSONEncoder`/`JSONDecoder`.
extension JSONValue: PostgresEncodable, PostgresDecodable {
    /// The first byte of jsonb's binary format: its version.
    private static let jsonbVersion: UInt8 = 1

    public static var psqlType: PostgresDataType { .jsonb }
    public static var psqlFormat: PostgresFormat { .binary }

    public func encode<Encoder: PostgresJSONEncoder>(into byteBuffer: inout ByteBuffer, context: PostgresEncodingContext<Encoder>) {
        byteBuffer.writeInteger(Self.jsonbVersion)
        byteBuffer.writeBytes(JSONSerializer.serialize(self))
    }

    public init<Decoder: PostgresJSONDecoder>(
        from buffer: inout ByteBuffer, type: PostgresDataType, format: PostgresFormat, context: PostgresDecodingContext<Decoder>
    ) throws {
        switch (format, type) {
        case (.binary, .jsonb):
            guard buffer.readInteger(as: UInt8.self) == Self.jsonbVersion else { throw PostgresDecodingError.Code.failure }
        case (.binary, .json), (.text, .jsonb), (.text, .json):
            break
        default:
            throw PostgresDecodingError.Code.typeMismatch
        }
        do {
            self = try JSONParser.parse(buffer.readBytes(length: buffer.readableBytes) ?? [])
        } catch {
            throw PostgresDecodingError.Code.failure
        }
    }
}
