import Foundation
import HTTPTypes
import Hummingbird

/// Serves the web app at `/` beside the API: each file with its media type, an entity tag
/// (`If-None-Match` answers 304) and `Cache-Control: no-cache` (revalidate, then reuse), under a
/// strict Content-Security-Policy — scripts, styles and connections only from this origin (images and
/// videos also from the page's own object URLs and the storage origins), no
/// inline script, no `eval`, never framed.
public enum WebAppRoutes {
    /// The policy every page and module is served with. `storageOrigins` are the other origins the
    /// page uploads to and shows results from (an S3 endpoint, a public URL unlike this origin).
    public static func contentSecurityPolicy(storageOrigins: [String] = []) -> String {
        let images = (["'self'", "blob:", "data:"] + storageOrigins).joined(separator: " ")
        let media = (["'self'", "blob:"] + storageOrigins).joined(separator: " ")
        let connections = (["'self'"] + storageOrigins).joined(separator: " ")
        return [
            "default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src \(images)", "media-src \(media)",
            "connect-src \(connections)",
            "font-src 'self'", "manifest-src 'self'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'",
        ].joined(separator: "; ")
    }

    private static let frameOptions = HTTPField.Name("X-Frame-Options")!
    private static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
    private static let openerPolicy = HTTPField.Name("Cross-Origin-Opener-Policy")!

    public static func add<Context: RequestContext>(to router: Router<Context>, assets: WebAssets, storageOrigins: [String] = []) {
        let policy = contentSecurityPolicy(storageOrigins: storageOrigins)
        for (path, asset) in assets.files {
            router.get(RouterPath(path)) { request, _ -> Response in
                var headers: HTTPFields = [
                    .contentType: asset.contentType,
                    .eTag: asset.entityTag,
                    .cacheControl: "no-cache",
                    .contentSecurityPolicy: policy,
                    .xContentTypeOptions: "nosniff",
                ]
                headers[Self.frameOptions] = "DENY"
                headers[Self.referrerPolicy] = "no-referrer"
                headers[Self.openerPolicy] = "same-origin"
                headers[.vary] = "Accept-Encoding"
                if let sent = request.headers[.ifNoneMatch], sent.split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces) == asset.entityTag }) {
                    return Response(status: .notModified, headers: headers)
                }
                if let gzipped = asset.gzipped, acceptsGzip(request.headers[.acceptEncoding]) {
                    headers[.contentEncoding] = "gzip"
                    return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: gzipped)))
                }
                return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: asset.bytes)))
            }
        }
    }
}

extension WebAppRoutes {
    /// Whether an `Accept-Encoding` value takes gzip (`gzip`, `gzip;q=0.5`, `*`; not `gzip;q=0`, nor `gzip;q=0, *`:
    /// an entry naming gzip outweighs `*`, RFC 9110 §12.5.3).
    static func acceptsGzip(_ header: String?) -> Bool {
        guard let header else { return false }
        var named: Double?, any: Double?
        for part in header.split(separator: ",") {
            let pieces = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard let coding = pieces.first, coding == "gzip" || coding == "*" else { continue }
            // The weight: `q=` with a number from 0 to 1 (1 when absent; an unreadable one counts as absent).
            let weight = pieces.dropFirst().lazy.compactMap { piece -> Double? in
                let pair = piece.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                return pair.count == 2 && pair[0] == "q" ? Double(pair[1]) : nil
            }.first ?? 1
            if coding == "gzip" { named = max(named ?? 0, weight) } else { any = weight }
        }
        return (named ?? any ?? 0) > 0
    }

    /// `scheme://host[:port]` of a URL, for a policy's source list; nil when it has none.
    public static func origin(of url: String) -> String? {
        guard let components = URLComponents(string: url), let scheme = components.scheme, let host = components.host else { return nil }
        return scheme + "://" + host + (components.port.map { ":\($0)" } ?? "")
    }
}
