import NIOCore
import PostgresNIO

/// A Swift enum generated for a PostgreSQL `CREATE TYPE … AS ENUM`. Enum types get their OID when
/// they are created, so values are sent untyped (OID 0) for the server to infer, and read from
/// the label text whatever OID the column reports.
public protocol PostgresEnum: RawRepresentable<String>, CaseIterable, PostgresNonThrowingEncodable, PostgresDecodable, Sendable, Hashable {}

extension PostgresEnum {
    public static var psqlType: PostgresDataType { .null }
    public static var psqlFormat: PostgresFormat { .text }

    public func encode<JSONEncoder: PostgresJSONEncoder>(into byteBuffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>) {
        byteBuffer.writeString(rawValue)
    }

    public init<JSONDecoder: PostgresJSONDecoder>(
        from buffer: inout ByteBuffer, type: PostgresDataType, format: PostgresFormat, context: PostgresDecodingContext<JSONDecoder>
    ) throws {
        guard let label = buffer.readString(length: buffer.readableBytes), let value = Self(rawValue: label) else {
            throw PostgresDecodingError.Code.failure
        }
        self = value
    }
}
