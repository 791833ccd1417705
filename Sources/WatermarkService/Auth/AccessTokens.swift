import Foundation
import JWTKit

/// Short-lived RS256 access tokens (jwt-kit): issued at sign-in and refresh, checked on every
/// secured request. A token names the user (`sub`), the session (`sid`) and the user's roles.
public struct AccessTokens: Sendable {
    /// What a verified token says.
    public struct Claims: JWTPayload, Equatable {
        public var sub: SubjectClaim
        public var sid: String
        public var roles: [String]
        public var iat: IssuedAtClaim
        public var exp: ExpirationClaim
        public var iss: IssuerClaim

        /// Expiry is checked by `AccessTokens.verify`, which tells an expired token from a bad one.
        public func verify(using algorithm: some JWTAlgorithm) async throws {}
    }

    /// The outcome of checking a token.
    public enum Verification: Sendable, Equatable {
        case valid(Claims)
        /// Signed by us but past its expiry (40102).
        case expired
        /// Not a token of ours: malformed, another key, another issuer (40101).
        case invalid
    }

    public static let issuer = "watermark"

    private let keys: JWTKeyCollection
    private let keyID: JWKIdentifier
    /// Seconds a token lives.
    public let lifetime: Int

    /// Tokens signed with the RSA private key in `privateKeyPEM` (2048 bits or more).
    public init(privateKeyPEM: String, keyID: String, lifetime: Int = 900) async throws {
        let key = try Insecure.RSA.PrivateKey(pem: privateKeyPEM)
        keys = JWTKeyCollection()
        self.keyID = JWKIdentifier(string: keyID)
        await keys.add(rsa: key, digestAlgorithm: .sha256, kid: self.keyID)
        self.lifetime = lifetime
    }

    /// A new 2048-bit RSA private key as PEM, for development when no key is configured.
    public static func newPrivateKeyPEM() throws -> String {
        try Insecure.RSA.PrivateKey(backing: .init(keySize: .bits2048)).pemRepresentation
    }

    /// A token for `userID`'s session `sessionID`, valid `lifetime` seconds from `now`.
    public func issue(userID: UUID, sessionID: UUID, roles: [String], now: Date = Date()) async throws -> String {
        let issued = Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down))
        let claims = Claims(
            sub: SubjectClaim(value: userID.uuidString.lowercased()), sid: sessionID.uuidString.lowercased(), roles: roles,
            iat: IssuedAtClaim(value: issued), exp: ExpirationClaim(value: issued.addingTimeInterval(TimeInterval(lifetime))),
            iss: IssuerClaim(value: Self.issuer))
        return try await keys.sign(claims, kid: keyID)
    }

    /// Checks the signature, the issuer and the expiry of `token` at `now`.
    public func verify(_ token: String, now: Date = Date()) async -> Verification {
        guard let claims = try? await keys.verify(token, as: Claims.self), claims.iss.value == Self.issuer,
              UUID(uuidString: claims.sub.value) != nil, UUID(uuidString: claims.sid) != nil
        else { return .invalid }
        return claims.exp.value > now ? .valid(claims) : .expired
    }
}
