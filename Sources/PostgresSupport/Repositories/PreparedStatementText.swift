import PostgresNIO

/// The SQL of a statement whose text never changes (a named query that returns rows, a generated
/// repository's find or update), which `RepositoryContext` prepares once per connection and then
/// executes by name: the server parses, analyses and rewrites it once instead of on every call, and
/// may keep a generic plan. Parameter types are the ones the server infers from the statement (for
/// named queries the descriptor test checks that they are the generated ones; finds and updates
/// compare and assign columns, whose types the generated bindings have).
public protocol PreparedStatementText: Sendable {
    static var sql: String { get }
}

/// A `PreparedStatementText` with its bindings and row decoder, in the form PostgresNIO executes;
/// the statement's name on the connection is the text type's full name.
struct PreparedQuery<Text: PreparedStatementText, Row>: PostgresPreparedStatement {
    static var name: String { String(reflecting: Text.self) }
    static var sql: String { Text.sql }

    let bindings: PostgresBindings
    let decode: @Sendable (PostgresRow) throws -> Row

    func makeBindings() throws -> PostgresBindings { bindings }
    func decodeRow(_ row: PostgresRow) throws -> Row { try decode(row) }
}
