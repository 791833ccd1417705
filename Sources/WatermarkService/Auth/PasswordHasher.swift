import Crypto
import CryptoExtras
import Foundation

/// Slow, salted password hashes (scrypt from swift-crypto) in a self-describing text form,
/// `scrypt$<log2 N>$<r>$<p>$<salt>$<hash>` (base64), and their constant-time check.
///
/// The parameters travel with each hash, so raising the cost later keeps old hashes verifiable;
/// `needsRehash` tells sign-in when to store a new one.
public struct PasswordHasher: Sendable {
    /// log2 of scrypt's CPU/memory cost N.
    public var costLog2: Int
    /// scrypt's block size r.
    public var blockSize: Int
    /// scrypt's parallelism p.
    public var parallelism: Int

    /// N = 2^15, r = 8, p = 1: 32 MiB and about a tenth of a second per hash on this machine class.
    public static let standard = PasswordHasher(costLog2: 15, blockSize: 8, parallelism: 1)

    static let saltBytes = 16
    static let hashBytes = 32

    public init(costLog2: Int, blockSize: Int, parallelism: Int) {
        self.costLog2 = costLog2
        self.blockSize = blockSize
        self.parallelism = parallelism
    }

    /// A new hash of `password` with a fresh random salt.
    public func hash(_ password: String) throws -> String {
        let salt = SymmetricKey(size: SymmetricKeySize(bitCount: Self.saltBytes * 8)).withUnsafeBytes { Data($0) }
        let derived = try Self.derive(password, salt: salt, costLog2: costLog2, blockSize: blockSize, parallelism: parallelism)
        return ["scrypt", String(costLog2), String(blockSize), String(parallelism), salt.base64EncodedString(), derived.base64EncodedString()]
            .joined(separator: "$")
    }

    /// Whether `password` matches `stored` (false for a malformed or foreign hash, never a crash).
    public func verify(_ password: String, against stored: String) -> Bool {
        guard let parsed = Parsed(stored),
              let derived = try? Self.derive(password, salt: parsed.salt, costLog2: parsed.costLog2, blockSize: parsed.blockSize, parallelism: parsed.parallelism)
        else { return false }
        // SymmetricKey's equality compares in constant time.
        return SymmetricKey(data: derived) == SymmetricKey(data: parsed.hash)
    }

    /// Whether `stored` was made with other parameters than these (re-hash it at the next sign-in).
    public func needsRehash(_ stored: String) -> Bool {
        guard let parsed = Parsed(stored) else { return true }
        return parsed.costLog2 != costLog2 || parsed.blockSize != blockSize || parsed.parallelism != parallelism
    }

    private static func derive(_ password: String, salt: Data, costLog2: Int, blockSize: Int, parallelism: Int) throws -> Data {
        let memory = 128 * blockSize * (1 << costLog2) * parallelism
        let key = try KDF.Scrypt.deriveKey(
            from: Data(password.utf8), salt: salt, outputByteCount: hashBytes, rounds: 1 << costLog2,
            blockSize: blockSize, parallelism: parallelism, maxMemory: memory + 1 << 20)
        return key.withUnsafeBytes { Data($0) }
    }

    /// A stored hash taken apart.
    private struct Parsed {
        var costLog2: Int
        var blockSize: Int
        var parallelism: Int
        var salt: Data
        var hash: Data

        init?(_ text: String) {
            let parts = text.split(separator: "$", omittingEmptySubsequences: false)
            guard parts.count == 6, parts[0] == "scrypt",
                  let costLog2 = Int(parts[1]), (10...20).contains(costLog2),
                  let blockSize = Int(parts[2]), (1...32).contains(blockSize),
                  let parallelism = Int(parts[3]), (1...16).contains(parallelism),
                  let salt = Data(base64Encoded: String(parts[4])), !salt.isEmpty,
                  let hash = Data(base64Encoded: String(parts[5])), hash.count == PasswordHasher.hashBytes
            else { return nil }
            (self.costLog2, self.blockSize, self.parallelism, self.salt, self.hash) = (costLog2, blockSize, parallelism, salt, hash)
        }
    }
}
