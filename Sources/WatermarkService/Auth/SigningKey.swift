import Crypto
import Foundation

/// The RSA private key that signs access tokens: the PEM file `JWT_PRIVATE_KEY_FILE` names, or in
/// development a key generated once into `.watermark/` (mode 0600) and reused on later starts, so
/// tokens survive a restart. Other secrets of the service are derived from it.
struct SigningKey: Sendable {
    let pem: String
    /// Names the key in the tokens' `kid` header: the first 16 hex digits of the PEM's SHA-256.
    let keyID: String
    /// Where the key came from, for the start-up banner.
    let source: String

    init(pem: String, source: String) {
        self.pem = pem
        self.source = source
        keyID = String(SHA256.hash(data: Data(pem.utf8)).hexDigits.prefix(16))
    }

    /// The configured key, or the development key (created when missing).
    static func load(configuredFile: String?, developmentFile: String) throws -> SigningKey {
        if let path = configuredFile {
            guard let data = FileManager.default.contents(atPath: path), let pem = String(data: data, encoding: .utf8) else {
                throw ServiceConfiguration.Invalid(description: "JWT_PRIVATE_KEY_FILE=\(path): cannot read the file")
            }
            return SigningKey(pem: pem, source: path)
        }
        if let data = FileManager.default.contents(atPath: developmentFile), let pem = String(data: data, encoding: .utf8) {
            return SigningKey(pem: pem, source: "\(developmentFile) (development key)")
        }
        let pem = try AccessTokens.newPrivateKeyPEM()
        let directory = (developmentFile as NSString).deletingLastPathComponent
        if !directory.isEmpty { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        guard FileManager.default.createFile(atPath: developmentFile, contents: Data(pem.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw ServiceConfiguration.Invalid(description: "cannot write the development signing key to \(developmentFile)")
        }
        return SigningKey(pem: pem, source: "\(developmentFile) (development key, generated now)")
    }

    /// The key that seals stored idempotent responses and authenticates request fingerprints.
    var idempotencySecret: SymmetricKey { derivedSecret("watermark idempotency v1") }

    /// The key that signs the service's own storage links (uploads, result downloads).
    var storageSecret: SymmetricKey { derivedSecret("watermark storage links v1") }

    /// A separate 256-bit secret for one purpose, derived from the signing key.
    private func derivedSecret(_ purpose: String) -> SymmetricKey {
        HKDF<SHA256>.deriveKey(inputKeyMaterial: SymmetricKey(data: Data(pem.utf8)), info: Data(purpose.utf8), outputByteCount: 32)
    }
}
