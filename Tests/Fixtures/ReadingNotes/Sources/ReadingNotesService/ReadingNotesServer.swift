import ContractServer
import Hummingbird
import Logging
import PostgresNIO
import PostgresSupport
import ReadingNotesAPI
import ReadingNotesDatabase

/// The reading-notes service: the generated routes served by the hand-written handlers over PostgreSQL,
/// and what a fresh database needs before it serves (the migrations and the service's own role).
public enum ReadingNotesServer {
    /// The role the service connects as: no superuser and no BYPASSRLS, so row-level security applies to it.
    public static let serviceRole = "reading_notes_service"

    /// A router serving every operation of the contract, answers checked against it.
    public static func router(database: Database, tokens: ReaderTokens, logger: Logger = Logger(label: "reading-notes")) -> Router<BasicRequestContext> {
        let server = ContractServer(
            errors: ErrorCode.standard,
            configuration: .init(maxBodyBytes: 64 << 10, validateResponses: true, authenticator: ReaderAuthenticator(tokens: tokens), logger: logger))
        let router = Router()
        router.addContractSupport(server: server)
        router.addBooksAPI(BooksHandler(database: database), server: server)
        router.addNotesAPI(NotesHandler(database: database), server: server)
        router.addHighlightsAPI(HighlightsHandler(database: database), server: server)
        return router
    }

    /// Applies the contract's migrations on `superuser` (a client of the database as its owner) and creates
    /// `serviceRole` with the rights the service needs on the tables.
    public static func prepare(_ superuser: PostgresClient, logger: Logger) async throws {
        try await MigrationRunner(client: superuser, migrations: DatabaseMigrations.all, logger: logger).up()
        for statement in [
            "CREATE ROLE \(serviceRole) LOGIN NOSUPERUSER NOBYPASSRLS",
            "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO \(serviceRole)",
        ] {
            try await superuser.query(PostgresQuery(unsafeSQL: statement), logger: logger)
        }
    }
}
