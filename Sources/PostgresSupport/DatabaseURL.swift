import Foundation
import NIOSSL
import PostgresNIO

/// A `postgres://user:password@host:port/database` URL (`DATABASE_URL`) as a PostgresNIO client
/// configuration. `?host=/path/to/socket/dir` selects a Unix socket; `sslmode=require` enables TLS.
public enum DatabaseURL {
    /// Why a `DATABASE_URL` was not accepted.
    public struct Invalid: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    public static func configuration(_ text: String) throws(Invalid) -> PostgresClient.Configuration {
        guard let components = URLComponents(string: text), ["postgres", "postgresql"].contains(components.scheme ?? "") else {
            throw Invalid(description: "DATABASE_URL must look like postgres://user:password@host:5432/database")
        }
        let database = String(components.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty else { throw Invalid(description: "DATABASE_URL names no database (postgres://…/database)") }
        let user = components.user.flatMap { $0.removingPercentEncoding } ?? "postgres"
        let password = components.password.flatMap { $0.removingPercentEncoding }
        let query = Dictionary((components.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { _, last in last })
        if let socketDirectory = query["host"], socketDirectory.hasPrefix("/") {
            let port = components.port ?? 5432
            return PostgresClient.Configuration(unixSocketPath: "\(socketDirectory)/.s.PGSQL.\(port)", username: user, password: password, database: database)
        }
        guard let host = components.host, !host.isEmpty else { throw Invalid(description: "DATABASE_URL names no host") }
        let tls: PostgresClient.Configuration.TLS
        switch query["sslmode"] ?? "disable" {
        case "disable": tls = .disable
        case "require", "verify-ca", "verify-full":
            tls = .require(.makeClientConfiguration())
        case let other: throw Invalid(description: "DATABASE_URL sslmode=\(other) is not supported (disable, require)")
        }
        return PostgresClient.Configuration(host: host, port: components.port ?? 5432, username: user, password: password, database: database, tls: tls)
    }
}
