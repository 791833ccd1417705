import Crypto
import Foundation

/// URL-safe base64 without padding (RFC 4648 §5), for tokens, secrets and cursors.
enum Base64URL {
    static func encode(_ bytes: some Sequence<UInt8>) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static func decode(_ text: String) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        return Data(base64Encoded: base64)
    }

    /// `prefix` + 32 random bytes (256 bits), encoded.
    static func randomToken(prefix: String) -> String {
        prefix + encode(SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) })
    }
}
