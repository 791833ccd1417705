import Foundation
import Testing
import WebhookVerification

/// The receiver's helper: a signature made by `WebhookSignature.sign` verifies under its secret,
/// and nothing else does — a changed body, another secret, an unknown key id, a stale timestamp;
/// a second delivery of the same id is flagged as a repeat.
struct WebhookVerifierTests {
    static let secret = "whsec_0123456789abcdefghijklmnopqrstuvwxyzABCD"
    static let body = Array(#"{"id":"e1","type":"task.succeeded","data":{"taskId":"t1"}}"#.utf8)

    static func headers(secret: String = secret, body: [UInt8] = body, timestamp: Int64 = 1_800_000_000, id: String = "e1") -> [String: String] {
        [
            "x-webhook-id": id, "X-Webhook-Timestamp": String(timestamp), "X-WEBHOOK-KEY-ID": WebhookSignature.keyID(of: secret),
            "X-Webhook-Signature": WebhookSignature.sign(secret: secret, timestamp: timestamp, body: body),
        ]
    }

    static let now = Date(timeIntervalSince1970: 1_800_000_100)

    @Test func anAuthenticWebhookVerifiesOnceThenIsARepeat() throws {
        let verifier = WebhookVerifier(secrets: [Self.secret])
        let first = try verifier.verify(body: Self.body, headers: Self.headers(), now: Self.now)
        #expect(first.id == "e1" && !first.isRepeat && first.keyID == WebhookSignature.keyID(of: Self.secret))
        // A retry: same id, a later timestamp and a fresh signature.
        let retry = try verifier.verify(body: Self.body, headers: Self.headers(timestamp: 1_800_000_090), now: Self.now)
        #expect(retry.isRepeat)
    }

    @Test func forgeriesAndStaleWebhooksAreRefused() {
        let verifier = WebhookVerifier(secrets: [Self.secret], tolerance: 300)
        var changed = Self.body
        changed[changed.count - 3] = UInt8(ascii: "2")
        #expect(throws: WebhookVerificationError.signatureMismatch) {
            try verifier.verify(body: changed, headers: Self.headers(), now: Self.now)
        }
        let other = "whsec_another-secret-that-is-long-enough-000"
        var signedByOther = Self.headers(secret: other)
        signedByOther["X-WEBHOOK-KEY-ID"] = WebhookSignature.keyID(of: Self.secret)
        #expect(throws: WebhookVerificationError.signatureMismatch) { try verifier.verify(body: Self.body, headers: signedByOther, now: Self.now) }
        #expect(throws: WebhookVerificationError.unknownKey(WebhookSignature.keyID(of: other))) {
            try verifier.verify(body: Self.body, headers: Self.headers(secret: other), now: Self.now)
        }
        #expect(throws: WebhookVerificationError.outsideTolerance(seconds: 400)) {
            try verifier.verify(body: Self.body, headers: Self.headers(timestamp: 1_799_999_700), now: Self.now)
        }
        var missing = Self.headers()
        missing["X-Webhook-Signature"] = nil
        #expect(throws: WebhookVerificationError.missingHeader("X-Webhook-Signature")) { try verifier.verify(body: Self.body, headers: missing, now: Self.now) }
        var malformed = Self.headers()
        malformed["X-Webhook-Signature"] = "v1=zz"
        #expect(throws: WebhookVerificationError.malformedHeader("X-Webhook-Signature")) { try verifier.verify(body: Self.body, headers: malformed, now: Self.now) }
    }

    @Test func duringARotationBothSecretsVerify() throws {
        let next = "whsec_the-next-secret-after-rotation-0000000"
        let verifier = WebhookVerifier(secrets: [Self.secret, next])
        #expect(try !verifier.verify(body: Self.body, headers: Self.headers(id: "a"), now: Self.now).isRepeat)
        #expect(try !verifier.verify(body: Self.body, headers: Self.headers(secret: next, id: "b"), now: Self.now).isRepeat)
    }

    @Test func theReplayGuardForgetsOldIdsAndKeepsItsCapacity() {
        let guardian = InMemoryReplayGuard(retention: 60, capacity: 3)
        let start = Date(timeIntervalSince1970: 0)
        #expect(guardian.firstSighting(of: "a", at: start))
        #expect(!guardian.firstSighting(of: "a", at: start.addingTimeInterval(30)))
        #expect(guardian.firstSighting(of: "a", at: start.addingTimeInterval(61)), "forgotten after its retention")
        for id in ["b", "c", "d"] { #expect(guardian.firstSighting(of: id, at: start.addingTimeInterval(62))) }
        #expect(guardian.firstSighting(of: "a", at: start.addingTimeInterval(62)), "the oldest goes first past the capacity")
        #expect(!guardian.firstSighting(of: "d", at: start.addingTimeInterval(62)))
    }
}
