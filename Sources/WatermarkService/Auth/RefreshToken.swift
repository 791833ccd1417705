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
        let bytes = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
        let text = bytes.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        return RefreshToken(value: "rt_" + text)
    }

    /// The 32-byte digest stored in `sessions.refresh_token_hash`.
    public var digest: Data {
        Data(SHA256.hash(data: Data(value.utf8)))
    }
}
