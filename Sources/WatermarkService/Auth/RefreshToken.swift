import Crypto
import Foundation

/// An opaque refresh token (`rt_` + 32 random bytes, base64url) and the SHA-256 digest that is
/// all the database keeps of it.
public struct RefreshToken: Sendable, Hashable {
    public let value: String

    public init(value: String) {
        self.value = value
    }

    /// A fresh random token.
    public static func generate() -> RefreshToken {
        RefreshToken(value: Base64URL.randomToken(prefix: "rt_"))
    }

    /// The 32-byte digest stored in `sessions.refresh_token_hash`.
    public var digest: Data {
        Data(SHA256.hash(data: Data(value.utf8)))
    }
}
