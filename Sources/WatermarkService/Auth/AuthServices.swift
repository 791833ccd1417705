import Foundation
import PostgresSupport

/// What authentication needs for the life of the service: the token signer, the idempotency store
/// (sealed with a secret derived from the signing key), the request limits and the session
/// liveness cache shared by the authenticator and the auth handlers, and the signer of storage
/// links (its secret is derived from the same key).
public struct AuthServices: Sendable {
    let tokens: AccessTokens
    let idempotency: IdempotentRequests
    let limits: RateLimits
    let liveness: SessionLiveness
    let passwords: PasswordHasher
    let urlSigner: StorageURLSigner
    let sessionLifetime: Int
    /// Accounts that get the `admin` role when they sign in (`ADMIN_EMAILS`), lower-cased.
    let adminEmails: Set<String>
    /// Where the signing key came from.
    public let keySource: String

    /// Loads or creates the signing key and builds the services over `database`.
    public static func make(_ configuration: ServiceConfiguration, database: Database, passwords: PasswordHasher = .standard) async throws -> AuthServices {
        let key = try SigningKey.load(configuredFile: configuration.jwtPrivateKeyFile, developmentFile: configuration.developmentKeyFile)
        return AuthServices(
            tokens: try await AccessTokens(privateKeyPEM: key.pem, keyID: key.keyID, lifetime: configuration.accessTokenTTLSeconds),
            idempotency: IdempotentRequests(database: database, secret: key.idempotencySecret),
            limits: RateLimits(configuration, database: database),
            liveness: SessionLiveness(database: database),
            passwords: passwords, urlSigner: StorageURLSigner(secret: key.storageSecret), sessionLifetime: configuration.sessionTTLSeconds,
            adminEmails: Set(configuration.adminEmails.map { $0.lowercased() }), keySource: key.source)
    }

    var authenticator: BearerAuthenticator {
        BearerAuthenticator(tokens: tokens, liveness: liveness)
    }
}
