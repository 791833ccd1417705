import Foundation

/// Where the PostgreSQL 15 server programs (`initdb`, `pg_ctl`, `postgres`) are.
public struct PostgresBinaries: Sendable, Hashable {
    public var directory: String

    /// `PG_BIN` if set, else Debian's `/usr/lib/postgresql/15/bin`.
    public static func locate(environment: [String: String] = ProcessInfo.processInfo.environment) throws(EmbeddedPostgresError) -> PostgresBinaries {
        let directory = environment["PG_BIN"] ?? "/usr/lib/postgresql/15/bin"
        for program in ["initdb", "pg_ctl", "postgres"] where !FileManager.default.isExecutableFile(atPath: directory + "/" + program) {
            throw .binariesMissing(directory: directory)
        }
        return PostgresBinaries(directory: directory)
    }

    public func path(_ program: String) -> String { directory + "/" + program }
}
