import Crypto
import Foundation

/// The signature scheme of the watermark service's webhooks, shared by the service (which signs)
/// and receivers (which verify): `X-Webhook-Signature: v1=<hex HMAC-SHA256 of "<timestamp>.<raw body>">`
/// under the endpoint's secret, and `X-Webhook-Key-Id` naming that secret.
public enum WebhookSignature {
    /// The header names, as sent.
    public static let idHeader = "X-Webhook-Id"
    public static let timestampHeader = "X-Webhook-Timestamp"
    public static let keyIDHeader = "X-Webhook-Key-Id"
    public static let signatureHeader = "X-Webhook-Signature"

    /// `v1=<hex>` for `body` sent at `timestamp` (unix seconds).
    public static func sign(secret: String, timestamp: Int64, body: some Collection<UInt8>) -> String {
        "v1=" + hex(mac(secret: secret, timestamp: timestamp, body: body))
    }

    /// The name of `secret` in `X-Webhook-Key-Id`: the first 16 hex digits of its SHA-256, so a
    /// receiver holding several secrets (during a rotation) knows which one to check with.
    public static func keyID(of secret: String) -> String {
        String(hex(Array(SHA256.hash(data: Array(secret.utf8)))).prefix(16))
    }

    static func mac(secret: String, timestamp: Int64, body: some Collection<UInt8>) -> [UInt8] {
        var hmac = HMAC<SHA256>(key: SymmetricKey(data: Array(secret.utf8)))
        hmac.update(data: Array("\(timestamp).".utf8))
        hmac.update(data: Array(body))
        return Array(hmac.finalize())
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text = [UInt8]()
        text.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    static func unhex(_ text: Substring) -> [UInt8]? {
        let utf8 = Array(text.utf8)
        guard utf8.count % 2 == 0 else { return nil }
        func value(_ c: UInt8) -> UInt8? {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
            default: nil
            }
        }
        var bytes = [UInt8]()
        bytes.reserveCapacity(utf8.count / 2)
        var index = 0
        while index < utf8.count {
            guard let high = value(utf8[index]), let low = value(utf8[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }
}
