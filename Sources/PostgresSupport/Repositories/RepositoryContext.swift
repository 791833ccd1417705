import Logging
import PostgresNIO

/// Runs the statements of generated repositories and named queries on one connection (normally
/// inside `Database.withTransaction`, so row-level security applies).
public struct RepositoryContext: Sendable {
    public let connection: PostgresConnection
    public let logger: Logger

    public init(_ connection: PostgresConnection, logger: Logger = Logger(label: "repository")) {
        self.connection = connection
        self.logger = logger
    }

    /// Every row the statement returns, each decoded by `decode`.
    public func rows<Row>(_ sql: String, _ bindings: PostgresBindings, _ decode: (PostgresRow) throws -> Row) async throws -> [Row] {
        let sequence = try await connection.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: logger)
        var rows: [Row] = []
        for try await row in sequence { rows.append(try decode(row)) }
        return rows
    }

    /// The first row, if any.
    public func row<Row>(_ sql: String, _ bindings: PostgresBindings, _ decode: (PostgresRow) throws -> Row) async throws -> Row? {
        let sequence = try await connection.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: logger)
        for try await row in sequence { return try decode(row) }
        return nil
    }

    /// Runs the statement; returns how many rows it changed.
    @discardableResult
    public func execute(_ sql: String, _ bindings: PostgresBindings) async throws -> Int {
        let result: EventLoopFuture<PostgresQueryResult> = connection.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: logger)
        return try await result.get().metadata.rows ?? 0
    }

    /// Every row of the prepared statement `text`, each decoded by `decode`.
    public func rows<Text: PreparedStatementText, Row>(
        _ text: Text.Type, _ bindings: PostgresBindings, _ decode: @escaping @Sendable (PostgresRow) throws -> Row
    ) async throws -> [Row] {
        var rows: [Row] = []
        for try await row in try await connection.execute(PreparedQuery<Text, Row>(bindings: bindings, decode: decode), logger: logger) {
            rows.append(row)
        }
        return rows
    }

    /// The first row of the prepared statement `text`, if any.
    public func row<Text: PreparedStatementText, Row>(
        _ text: Text.Type, _ bindings: PostgresBindings, _ decode: @escaping @Sendable (PostgresRow) throws -> Row
    ) async throws -> Row? {
        try await rows(text, bindings, decode).first
    }
}
