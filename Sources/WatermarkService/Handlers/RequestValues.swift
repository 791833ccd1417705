import ContractRuntime
import Foundation
import PostgresSupport

/// Values handlers read from requests the same way everywhere: the version in `If-Match`, and
/// the newest-first page cursors `(createdAt, id)` that lists hand out.
enum RequestValues {
    /// The version in an `If-Match` value (the contract's pattern makes it `"<at most 18 digits>"`, so it fits).
    static func version(ifMatch: String) -> Int64? {
        Int64(ifMatch.trimmingCharacters(in: CharacterSet(charactersIn: "\"")))
    }

    /// The `(createdAt, id)` position a page cursor names, nil without a cursor; a cursor this
    /// service did not issue throws `invalid` with the issue (the operation's 40001).
    static func keyset(_ cursor: String?, else invalid: ([FieldIssue]) -> some Error) throws -> (Date, UUID)? {
        guard let cursor else { return nil }
        do {
            let keyset = try KeysetCursor(cursor, count: 2)
            return (try keyset.value(0, as: Date.self), try keyset.value(1, as: UUID.self))
        } catch {
            throw invalid([FieldIssue(field: "/query/cursor", reason: "is not a cursor this list issued")])
        }
    }

    /// The cursor of the page after `rows` when one more row than `limit` was read, else nil.
    static func nextCursor<Row>(_ rows: [Row], limit: Int, position: (Row) -> (Date, UUID)) -> String? {
        guard rows.count > limit else { return nil }
        let (createdAt, id) = position(rows[limit - 1])
        return KeysetCursor(values: [createdAt.keysetText, id.keysetText]).description
    }
}
