/// Why a throwaway PostgreSQL cluster could not be started or used.
public enum EmbeddedPostgresError: Error, CustomStringConvertible, Sendable {
    case binariesMissing(directory: String)
    case commandFailed(command: String, status: Int32, output: String)
    case serviceUserMissing

    public var description: String {
        switch self {
        case .binariesMissing(let directory):
            return "PostgreSQL 15 server binaries not found in \(directory): install them (apt-get install postgresql-15) or set PG_BIN, or set DATABASE_URL to use a running server"
        case .commandFailed(let command, let status, let output):
            return "\(command) failed with status \(status): \(output.trimmingCharacters(in: .whitespacesAndNewlines))"
        case .serviceUserMissing:
            return "running as root, but there is no 'postgres' user to run the cluster as (initdb refuses root); create it or run as another user"
        }
    }
}
