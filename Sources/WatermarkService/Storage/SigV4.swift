import Crypto
import Foundation

/// AWS Signature Version 4 for S3-compatible stores (S3, MinIO): the `Authorization` header of
/// the service's own requests, and presigned URLs (query authentication) for clients.
struct SigV4: Sendable {
    let accessKeyID: String
    let secretAccessKey: String
    let region: String
    let service = "s3"

    /// What a request is, for signing: the path is already percent-encoded (`/bucket/key`).
    struct Request {
        var method: String
        var path: String
        var query: [(String, String)] = []
        var headers: [(String, String)]
        var payloadHash: String
    }

    /// The headers to add to `request` (which must include `host`): `x-amz-date`,
    /// `x-amz-content-sha256` and `authorization`.
    func authorizationHeaders(for request: Request, at date: Date = Date()) -> [(String, String)] {
        let (amzDate, day) = Self.timestamps(date)
        var signed = request
        signed.headers += [("x-amz-content-sha256", request.payloadHash), ("x-amz-date", amzDate)]
        let (signedHeaders, signature) = sign(signed, amzDate: amzDate, day: day)
        let credential = "\(accessKeyID)/\(scope(day))"
        return [
            ("x-amz-content-sha256", request.payloadHash), ("x-amz-date", amzDate),
            ("authorization", "AWS4-HMAC-SHA256 Credential=\(credential), SignedHeaders=\(signedHeaders), Signature=\(signature)"),
        ]
    }

    /// The query string of a presigned URL for `method` on `path` (with the `extra` query, e.g. a part number),
    /// valid `seconds` from `date`; the client must send exactly `headers` (besides `host`).
    func presignedQuery(
        method: String, path: String, query extra: [(String, String)] = [], host: String, headers: [(String, String)], seconds: Int, at date: Date = Date()
    ) -> String {
        let (amzDate, day) = Self.timestamps(date)
        let allHeaders = [("host", host)] + headers
        var query = [
            ("X-Amz-Algorithm", "AWS4-HMAC-SHA256"), ("X-Amz-Credential", "\(accessKeyID)/\(scope(day))"), ("X-Amz-Date", amzDate),
            ("X-Amz-Expires", String(seconds)), ("X-Amz-SignedHeaders", Self.signedHeaderList(allHeaders)),
        ] + extra
        let (_, signature) = sign(Request(method: method, path: path, query: query, headers: allHeaders, payloadHash: "UNSIGNED-PAYLOAD"), amzDate: amzDate, day: day)
        query.append(("X-Amz-Signature", signature))
        return Self.canonicalQuery(query)
    }

    private func scope(_ day: String) -> String { "\(day)/\(region)/\(service)/aws4_request" }

    /// The signed-header list and the hex signature of `request`.
    private func sign(_ request: Request, amzDate: String, day: String) -> (String, String) {
        let headers = request.headers.map { ($0.0.lowercased(), $0.1.trimmingCharacters(in: .whitespaces)) }.sorted { $0.0 < $1.0 }
        let signedHeaders = Self.signedHeaderList(headers)
        let canonical = [
            request.method, request.path, Self.canonicalQuery(request.query),
            headers.map { "\($0.0):\($0.1)\n" }.joined(), signedHeaders, request.payloadHash,
        ].joined(separator: "\n")
        let stringToSign = ["AWS4-HMAC-SHA256", amzDate, scope(day), SHA256.hash(data: Data(canonical.utf8)).hexDigits].joined(separator: "\n")
        var key = SymmetricKey(data: Data("AWS4\(secretAccessKey)".utf8))
        for part in [day, region, service, "aws4_request"] {
            key = SymmetricKey(data: Data(HMAC<SHA256>.authenticationCode(for: Data(part.utf8), using: key)))
        }
        return (signedHeaders, HMAC<SHA256>.authenticationCode(for: Data(stringToSign.utf8), using: key).hexDigits)
    }

    private static func signedHeaderList(_ headers: [(String, String)]) -> String {
        headers.map { $0.0.lowercased() }.sorted().joined(separator: ";")
    }

    static func canonicalQuery(_ query: [(String, String)]) -> String {
        let pairs: [(name: String, value: String)] = query.map { (encode($0.0), encode($0.1)) }
        let sorted = pairs.sorted { $0.name < $1.name }
        return sorted.map { $0.name + "=" + $0.value }.joined(separator: "&")
    }

    /// Percent-encoding as SigV4 wants it: everything but `A–Z a–z 0–9 - . _ ~` (and `/` in paths).
    static func encode(_ text: String, keepSlash: Bool = false) -> String {
        var out = ""
        for byte in text.utf8 {
            if unreserved.contains(byte) || (keepSlash && byte == UInt8(ascii: "/")) {
                out.unicodeScalars.append(UnicodeScalar(byte))
            } else {
                out += String(format: "%%%02X", byte)
            }
        }
        return out
    }

    private static let unreserved: Set<UInt8> = Set(Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~".utf8))

    /// `20261124T093000Z` and `20261124`, in UTC.
    private static func timestamps(_ date: Date) -> (String, String) {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        let stamp = formatter.string(from: date)
        return (stamp, String(stamp.prefix(8)))
    }
}
