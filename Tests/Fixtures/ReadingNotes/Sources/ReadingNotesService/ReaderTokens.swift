import Foundation
import JWTKit

/// The readers' access tokens: HS256-signed JWTs (jwt-kit) whose subject is the reader's id. Whoever signs
/// them (a sign-in service, the tests) shares the secret with the server that checks them.
public struct ReaderTokens: Sendable {
    /// What a token says.
    public struct Claims: JWTPayload, Equatable {
        public var sub: SubjectClaim
        public var exp: ExpirationClaim

        /// Expiry is checked by `ReaderTokens.verify`, which tells an expired token from a bad one.
        public func verify(using algorithm: some JWTAlgorithm) async throws {}
    }

    /// The outcome of checking a token.
    public enum Verification: Sendable, Equatable {
        case valid(reader: UUID)
        /// Signed with our secret but past its expiry (40102).
        case expired
        /// Malformed, signed with another secret, or not naming a reader (40101).
        case invalid
    }

    private let keys: JWTKeyCollection

    /// A secret shorter than SHA-256's output, which HMAC-SHA256 must not be keyed with.
    public struct SecretTooShort: Error, CustomStringConvertible {
        public let bytes: Int
        public var description: String { "the token secret has \(bytes) bytes; HS256 needs at least 32" }
    }

    /// Tokens signed and checked with `secret` (HMAC-SHA256; at least 32 bytes).
    public init(secret: String) async throws {
        guard secret.utf8.count >= 32 else { throw SecretTooShort(bytes: secret.utf8.count) }
        keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
    }

    /// A token naming `reader`, valid until `expiresAt`.
    public func issue(reader: UUID, expiresAt: Date) async throws -> String {
        try await keys.sign(Claims(sub: SubjectClaim(value: reader.uuidString.lowercased()), exp: ExpirationClaim(value: expiresAt)))
    }

    /// Checks the signature, the subject and the expiry of `token` at `now`.
    public func verify(_ token: String, now: Date = Date()) async -> Verification {
        guard let claims = try? await keys.verify(token, as: Claims.self), let reader = UUID(uuidString: claims.sub.value) else {
            return .invalid
        }
        return claims.exp.value > now ? .valid(reader: reader) : .expired
    }
}
