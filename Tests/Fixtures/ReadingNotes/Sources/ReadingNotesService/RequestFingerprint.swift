import Crypto
import Foundation
import NIOCore

/// The SHA-256 of a create's body (its JSON with sorted keys), stored beside the idempotency key: a
/// repeated key with the same fingerprint is a retry, with another one a conflict.
struct RequestFingerprint: Equatable {
    let bytes: ByteBuffer

    init(_ body: some Encodable) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        bytes = ByteBuffer(bytes: SHA256.hash(data: try encoder.encode(body)))
    }

    /// Whether `stored` (a row's `request_hash`) is this fingerprint.
    func matches(_ stored: ByteBuffer) -> Bool {
        stored == bytes
    }
}
