import Foundation

/// An opaque keyset-pagination cursor: the key of the last row of a page, as base64url text.
/// Clients pass it back unchanged; anything else is `RepositoryError.invalidCursor`.
public struct KeysetCursor: Sendable, Hashable, CustomStringConvertible {
    public let values: [String]

    public init(values: [String]) {
        self.values = values
    }

    /// Reads a cursor a list returned; throws when it was not issued by a list with `count` key columns.
    public init(_ text: String, count: Int) throws(RepositoryError) {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard let data = Data(base64Encoded: base64), let values = Self.unpack(Array(data)), values.count == count else {
            throw RepositoryError.invalidCursor
        }
        self.values = values
    }

    /// The cursor as clients see it: each value as `<UTF-8 length>:<value>`, in base64url.
    public var description: String {
        var bytes: [UInt8] = []
        for value in values {
            bytes += Array(String(value.utf8.count).utf8) + [UInt8(ascii: ":")] + Array(value.utf8)
        }
        return Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// The values of `<length>:<value>…`, or nil when the bytes are not that.
    private static func unpack(_ bytes: [UInt8]) -> [String]? {
        var values: [String] = []
        var index = 0
        while index < bytes.count {
            var length = 0
            var digits = 0
            while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9"), digits < 6 {
                length = length * 10 + Int(bytes[index] - UInt8(ascii: "0"))
                index += 1
                digits += 1
            }
            guard digits > 0, index < bytes.count, bytes[index] == UInt8(ascii: ":"), index + 1 + length <= bytes.count,
                  let value = String(validating: bytes[(index + 1)..<(index + 1 + length)], as: UTF8.self) else { return nil }
            values.append(value)
            index += 1 + length
        }
        return values
    }

    /// Key column `index` as `type`.
    public func value<Value: KeysetComponent>(_ index: Int, as type: Value.Type) throws(RepositoryError) -> Value {
        guard index < values.count, let value = Value(keysetText: values[index]) else { throw RepositoryError.invalidCursor }
        return value
    }
}

/// A key column type a cursor can carry.
public protocol KeysetComponent {
    init?(keysetText: String)
    var keysetText: String { get }
}

extension UUID: KeysetComponent {
    public init?(keysetText: String) { self.init(uuidString: keysetText) }
    public var keysetText: String { uuidString.lowercased() }
}

extension String: KeysetComponent {
    public init?(keysetText: String) { self = keysetText }
    public var keysetText: String { self }
}

extension Int16: KeysetComponent {
    public init?(keysetText: String) { self.init(keysetText, radix: 10) }
    public var keysetText: String { String(self) }
}

extension Int32: KeysetComponent {
    public init?(keysetText: String) { self.init(keysetText, radix: 10) }
    public var keysetText: String { String(self) }
}

extension Int64: KeysetComponent {
    public init?(keysetText: String) { self.init(keysetText, radix: 10) }
    public var keysetText: String { String(self) }
}

extension Date: KeysetComponent {
    /// Microseconds since 1970, PostgreSQL's timestamp precision, so no row is skipped or repeated.
    ///
    /// The date is built from PostgreSQL's epoch (2000-01-01) the way PostgresNIO decodes a timestamp,
    /// because PostgresNIO truncates when it encodes one: a date built from 1970 is, about one time in
    /// four, a fraction below the microsecond it names and would be bound as the microsecond before —
    /// and a page after `(created_at, id) > cursor` would start again with the cursor's own row.
    public init?(keysetText: String) {
        guard let micros = Int64(keysetText) else { return nil }
        let postgresEpochMicros: Int64 = 946_684_800_000_000
        let (sincePostgresEpoch, overflow) = micros.subtractingReportingOverflow(postgresEpochMicros)
        guard !overflow else { return nil }
        self.init(timeInterval: Double(sincePostgresEpoch) / 1_000_000, since: Date(timeIntervalSince1970: 946_684_800))
    }
    public var keysetText: String { String(Int64((timeIntervalSince1970 * 1_000_000).rounded())) }
}
