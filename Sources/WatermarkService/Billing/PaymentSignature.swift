import Crypto
import Foundation

/// The payment provider's callback signature: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`
/// under the shared secret, accepted for 300 seconds either side of now.
struct PaymentSignature: Sendable {
    let secret: SymmetricKey
    var tolerance: TimeInterval = 300

    init(secret: String) {
        self.secret = SymmetricKey(data: Data(secret.utf8))
    }

    /// The header value for `body` signed at `time` (what the provider sends; tests use it too).
    func header(for body: some DataProtocol, at time: Date) -> String {
        let timestamp = String(Int(time.timeIntervalSince1970))
        return "t=\(timestamp),v1=" + mac(timestamp, body).hexDigits
    }

    /// Whether `header` signs `body` and is recent at `now`.
    func verifies(_ header: String, body: some DataProtocol, now: Date = Date()) -> Bool {
        var timestamp: String?
        var signature: String?
        for part in header.split(separator: ",") {
            if part.hasPrefix("t=") { timestamp = String(part.dropFirst(2)) }
            if part.hasPrefix("v1=") { signature = String(part.dropFirst(3)) }
        }
        guard let timestamp, let seconds = TimeInterval(timestamp), abs(now.timeIntervalSince1970 - seconds) <= tolerance,
              let signature, let given = Self.bytes(hex: signature) else { return false }
        // Constant time: compare as authentication codes, not as strings.
        return HMAC<SHA256>.isValidAuthenticationCode(given, authenticating: Array(timestamp.utf8) + [UInt8(ascii: ".")] + Array(body), using: secret)
    }

    private func mac(_ timestamp: String, _ body: some DataProtocol) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: Array(timestamp.utf8) + [UInt8(ascii: ".")] + Array(body), using: secret))
    }

    private static func bytes(hex: String) -> [UInt8]? {
        let digits = Array(hex.utf8)
        guard digits.count == 64 else { return nil }
        var bytes: [UInt8] = []
        for index in stride(from: 0, to: digits.count, by: 2) {
            guard let byte = UInt8(String(decoding: digits[index...index + 1], as: UTF8.self), radix: 16) else { return nil }
            bytes.append(byte)
        }
        return bytes
    }
}
