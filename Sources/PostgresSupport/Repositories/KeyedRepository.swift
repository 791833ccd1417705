/// What every generated repository of a table with a primary key offers, so code can work on
/// any table alike (the row-level-security test walks all of them).
public protocol KeyedRepository: Sendable {
    associatedtype Row: Sendable & Hashable

    init(_ context: RepositoryContext)
    /// A page in primary-key order after `cursor`.
    func list(after cursor: KeysetCursor?, limit: Int) async throws -> (rows: [Row], next: KeysetCursor?)
    /// The stored row with `row`'s primary key.
    func find(keyOf row: Row) async throws -> Row?
    /// Writes `row` (guarded by its version when the table has one).
    func update(_ row: Row) async throws -> Row
    /// Deletes the row with `row`'s primary key; false when there was none.
    func delete(keyOf row: Row) async throws -> Bool
}

extension KeyedRepository {
    /// Every row visible in this transaction, page by page.
    public func all(pageSize: Int = 500) async throws -> [Row] {
        var rows: [Row] = []
        var cursor: KeysetCursor?
        repeat {
            let page = try await list(after: cursor, limit: pageSize)
            rows += page.rows
            cursor = page.next
        } while cursor != nil
        return rows
    }
}
