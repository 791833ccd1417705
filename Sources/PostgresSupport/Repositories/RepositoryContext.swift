import Logging
import PostgresNIO
import Tracing

/// Runs the statements of generated repositories and named queries on one connection (normally
/// inside `Database.withTransaction`, so row-level security applies), each in a client span when
/// tracing is on (named after the statement, with its SQL text).
public struct RepositoryContext: Sendable {
    public let connection: PostgresConnection
    public let logger: Logger

    public init(_ connection: PostgresConnection, logger: Logger = Logger(label: "repository")) {
        self.connection = connection
        self.logger = logger
    }

    /// Every row the statement returns, each decoded by `decode`.
    public func rows<Row>(_ sql: String, _ bindings: PostgresBindings, _ decode: (PostgresRow) throws -> Row) async throws -> [Row] {
        try await traced(Self.summary(of: sql), sql: sql) {
            let sequence = try await connection.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: logger)
            var rows: [Row] = []
            for try await row in sequence { rows.append(try decode(row)) }
            return rows
        }
    }

    /// The first row, if any.
    public func row<Row>(_ sql: String, _ bindings: PostgresBindings, _ decode: (PostgresRow) throws -> Row) async throws -> Row? {
        try await traced(Self.summary(of: sql), sql: sql) {
            let sequence = try await connection.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: logger)
            for try await row in sequence { return try decode(row) }
            return nil
        }
    }

    /// Runs the statement (a named query's `name`, for its span); returns how many rows it changed.
    @discardableResult
    public func execute(_ sql: String, _ bindings: PostgresBindings, name: String? = nil) async throws -> Int {
        try await traced(name ?? Self.summary(of: sql), sql: sql) {
            let result: EventLoopFuture<PostgresQueryResult> = connection.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: logger)
            return try await result.get().metadata.rows ?? 0
        }
    }

    /// Every row of the prepared statement `text`, each decoded by `decode`.
    public func rows<Text: PreparedStatementText, Row>(
        _ text: Text.Type, _ bindings: PostgresBindings, _ decode: @escaping @Sendable (PostgresRow) throws -> Row
    ) async throws -> [Row] {
        try await traced(Self.name(of: text), sql: Text.sql) {
            var rows: [Row] = []
            for try await row in try await connection.execute(PreparedQuery<Text, Row>(bindings: bindings, decode: decode), logger: logger) {
                rows.append(row)
            }
            return rows
        }
    }

    /// The first row of the prepared statement `text`, if any.
    public func row<Text: PreparedStatementText, Row>(
        _ text: Text.Type, _ bindings: PostgresBindings, _ decode: @escaping @Sendable (PostgresRow) throws -> Row
    ) async throws -> Row? {
        try await rows(text, bindings, decode).first
    }

    /// Runs `statement` in a client span called `name` when tracing is on (nothing is built when not).
    private func traced<Result>(_ name: @autoclosure () -> String, sql: String, _ statement: () async throws -> Result) async throws -> Result {
        guard !(InstrumentationSystem.tracer is NoOpTracer) else { return try await statement() }
        return try await withSpan(name(), ofKind: .client) { span in
            span.attributes["db.system.name"] = "postgresql"
            span.attributes["db.query.text"] = sql
            return try await statement()
        }
    }

    /// A prepared statement's span name: its named query (`CreateTaskWithHold`) or its repository
    /// and statement (`TaskRepository.Find`).
    private static func name<Text>(of text: Text.Type) -> String {
        var parts = String(reflecting: text).split(separator: ".").dropFirst()  // the module
        if parts.first == "NamedQueries" { parts = parts.dropFirst() }
        let name = parts.joined(separator: ".")
        return name.hasSuffix("Statement") ? String(name.dropLast("Statement".count)) : name
    }

    /// An unnamed statement's span name: its verb and table (`INSERT tasks`, `SELECT users`).
    private static func summary(of sql: String) -> String {
        let words = sql.split(whereSeparator: \.isWhitespace)
        guard let verb = words.first?.uppercased() else { return "SQL" }
        let marker = ["INSERT": "INTO", "DELETE": "FROM", "SELECT": "FROM"][verb]
        let table = verb == "UPDATE" ? words.dropFirst().first
            : marker.flatMap { marker in words.firstIndex { $0.uppercased() == marker }.flatMap { words.indices.contains($0 + 1) ? words[$0 + 1] : nil } }
        return table.map { "\(verb) \($0.prefix { $0 != "(" }.filter { $0 != "\"" })" } ?? verb
    }
}
