import NIOCore

/// The outcome of a create whose insert claims its idempotency key (`ON CONFLICT … DO NOTHING`): the new
/// row, or — when the key was used already — the row that use created, provided it came from the same
/// request; another request under the same key is `conflict`.
enum IdempotentCreate {
    /// The row to answer with: `inserted`, or else `previous` when its fingerprint is `fingerprint`.
    static func row<Row>(
        inserted: Row?, previous: @autoclosure () async throws -> Row?, storedHash: (Row) -> ByteBuffer,
        fingerprint: RequestFingerprint, conflict: () -> some Error
    ) async throws -> Row {
        if let inserted { return inserted }
        guard let previous = try await previous(), fingerprint.matches(storedHash(previous)) else { throw conflict() }
        return previous
    }
}
