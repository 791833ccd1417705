import Crypto
import Foundation

/// One numbered migration of `contracts/db/migrations`: `NNNN_name.up.sql` and its `.down.sql`.
public struct Migration: Sendable, Hashable {
    public var version: Int
    public var name: String
    public var up: String
    public var down: String
    /// Hex SHA-256 of the `up` script: an applied migration whose file changed is refused.
    public var checksum: String

    public init(version: Int, name: String, up: String, down: String) {
        self.version = version
        self.name = name
        self.up = up
        self.down = down
        checksum = SHA256.hash(data: Data(up.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
