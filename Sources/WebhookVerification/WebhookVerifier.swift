import Crypto
import Foundation

/// Checks a webhook the watermark service sent, for a receiver: the signature (constant-time, under
/// the secret the key id names), a timestamp within `tolerance` (300 s) of now, and whether this
/// webhook id was seen before (retries carry the same id; act on it once, but answer 2xx again).
///
///     let verifier = WebhookVerifier(secrets: [secretFromEndpointCreation])
///     let webhook = try verifier.verify(body: rawBodyBytes, headers: requestHeaders)
///     if !webhook.isRepeat { apply(event) }      // then answer 200
///
/// Verify the raw body bytes before parsing them; a re-serialised body does not verify.
public struct WebhookVerifier: Sendable {
    private let secrets: [String: String]
    public let tolerance: TimeInterval
    private let seen: any WebhookReplayGuard

    /// `secrets`: every secret the receiver accepts (more than one while rotating).
    public init(secrets: [String], tolerance: TimeInterval = 300, replayGuard: any WebhookReplayGuard = InMemoryReplayGuard()) {
        self.secrets = Dictionary(secrets.map { (WebhookSignature.keyID(of: $0), $0) }, uniquingKeysWith: { first, _ in first })
        self.tolerance = tolerance
        self.seen = replayGuard
    }

    /// The webhook's id and time if `body` with `headers` (names in any case) is authentic and
    /// fresh; `isRepeat` when its id was verified before.
    public func verify(body: some Collection<UInt8>, headers: [String: String], now: Date = Date()) throws(WebhookVerificationError) -> VerifiedWebhook {
        func header(_ name: String) throws(WebhookVerificationError) -> String {
            let lowered = name.lowercased()
            guard let value = headers.first(where: { $0.key.lowercased() == lowered })?.value, !value.isEmpty else {
                throw .missingHeader(name)
            }
            return value
        }
        let id = try header(WebhookSignature.idHeader)
        guard let timestamp = Int64(try header(WebhookSignature.timestampHeader)) else { throw .malformedHeader(WebhookSignature.timestampHeader) }
        let keyID = try header(WebhookSignature.keyIDHeader)
        guard let secret = secrets[keyID] else { throw .unknownKey(keyID) }
        let signatures = try header(WebhookSignature.signatureHeader).split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        let given = signatures.compactMap { $0.hasPrefix("v1=") ? WebhookSignature.unhex($0.dropFirst(3)[...]) : nil }
        guard !given.isEmpty else { throw .malformedHeader(WebhookSignature.signatureHeader) }
        let expected = WebhookSignature.mac(secret: secret, timestamp: timestamp, body: body)
        guard given.contains(where: { Self.constantTimeEqual($0, expected) }) else { throw .signatureMismatch }
        let skew = now.timeIntervalSince1970 - Double(timestamp)
        guard abs(skew) <= tolerance else { throw .outsideTolerance(seconds: Int(skew)) }
        let first = seen.firstSighting(of: id, at: now)
        return VerifiedWebhook(id: id, timestamp: Date(timeIntervalSince1970: Double(timestamp)), keyID: keyID, isRepeat: !first)
    }

    /// Compares without stopping at the first difference, so the time taken tells nothing.
    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}

/// A webhook that verified.
public struct VerifiedWebhook: Sendable, Equatable {
    /// `X-Webhook-Id`: the event's id, the same on every retry.
    public let id: String
    public let timestamp: Date
    public let keyID: String
    /// The id was verified before: acknowledge (2xx) without acting again.
    public let isRepeat: Bool
}

/// Why a webhook was refused (answer 4xx, so the sender does not stop on a forgery).
public enum WebhookVerificationError: Error, Equatable, CustomStringConvertible {
    case missingHeader(String)
    case malformedHeader(String)
    case unknownKey(String)
    case signatureMismatch
    case outsideTolerance(seconds: Int)

    public var description: String {
        switch self {
        case .missingHeader(let name): "the \(name) header is missing"
        case .malformedHeader(let name): "the \(name) header is malformed"
        case .unknownKey(let id): "no secret with key id \(id)"
        case .signatureMismatch: "the signature does not match the body"
        case .outsideTolerance(let seconds): "the timestamp is \(seconds) s away from now"
        }
    }
}
