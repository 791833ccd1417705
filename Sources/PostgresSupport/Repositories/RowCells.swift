import PostgresNIO

/// Reads a result row's cells front to back, the way generated row types decode themselves
/// (one pass, no random-access copy of the row).
public struct RowCells {
    @usableFromInline var iterator: PostgresRow.Iterator

    @inlinable
    public init(_ row: PostgresRow) {
        iterator = row.makeIterator()
    }

    /// The next cell as `type`.
    @inlinable
    public mutating func next<Value: PostgresDecodable>(_ type: Value.Type) throws -> Value {
        guard let cell = iterator.next() else { throw PostgresDecodingError.Code.missingData }
        return try cell.decode(Value.self)
    }
}
