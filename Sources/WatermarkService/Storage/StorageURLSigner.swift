import Crypto
import Foundation
import WatermarkAPI

/// Signs and checks the service's own storage links (local backend): a hex HMAC-SHA256 over the
/// method, the path and the expiry, so a link works only for that object, that method and until
/// then, and changing any part of it breaks the signature.
struct StorageURLSigner: Sendable {
    let secret: SymmetricKey

    func signature(method: String, path: String, expires: Int64) -> String {
        HMAC<SHA256>.authenticationCode(for: Data("\(method)\n\(path)\n\(expires)".utf8), using: secret).hexDigits
    }

    /// `base + path` with `expires` and `signature` query parameters.
    func url(base: String, method: String, path: String, expires: Date) -> String {
        let seconds = Int64(expires.timeIntervalSince1970.rounded(.down))
        return "\(base)\(path)?expires=\(seconds)&signature=\(signature(method: method, path: path, expires: seconds))"
    }

    /// What a link's signature and expiry say.
    enum Verdict: Equatable {
        case valid
        /// Signed by this service, but its time has passed (40102: ask for a new link).
        case expired
        /// Not signed by this service for this method, path and expiry (40101).
        case invalid
    }

    /// Whether `signature` signs this method, path and expiry, and whether the expiry has passed.
    /// The comparison takes the same time wherever the first difference is.
    func verdict(method: String, path: String, expires: Int64, signature given: String, now: Date = Date()) -> Verdict {
        let expected = Array(signature(method: method, path: path, expires: expires).utf8)
        let actual = Array(given.utf8)
        guard expected.count == actual.count, zip(expected, actual).reduce(0, { $0 | ($1.0 ^ $1.1) }) == 0 else { return .invalid }
        return Double(expires) > now.timeIntervalSince1970 ? .valid : .expired
    }
}

/// An operation's failure type that answers a signed link's 40101 and 40102.
protocol SignedLinkFailure: Error {
    static func unauthenticated(_ message: String?) -> Self
    static func tokenExpired(_ message: String?) -> Self
}

extension StorageURLSigner {
    /// Throws the operation's 40102 when the link (`what`, e.g. "the download link") has expired and
    /// 40101 when it is not this service's signature for this method and path.
    func admit<Failure: SignedLinkFailure>(method: String, path: String, expires: Int64, signature: String, what: String, else failure: Failure.Type) throws {
        switch verdict(method: method, path: path, expires: expires, signature: signature) {
        case .valid: return
        case .expired: throw Failure.tokenExpired("\(what) has expired; ask for a new one")
        case .invalid: throw Failure.unauthenticated("\(what) was altered or is not this service's; ask for a new one")
        }
    }
}

extension Operations.UploadAssetContent.Failure: SignedLinkFailure {}
extension Operations.UploadAssetChunk.Failure: SignedLinkFailure {}
extension Operations.GetUploadProgress.Failure: SignedLinkFailure {}
extension Operations.DownloadTaskResult.Failure: SignedLinkFailure {}
extension Operations.DownloadAccountExport.Failure: SignedLinkFailure {}
extension Operations.DownloadAssetContent.Failure: SignedLinkFailure {}
