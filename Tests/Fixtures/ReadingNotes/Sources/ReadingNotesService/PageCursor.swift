import ContractRuntime
import Foundation
import PostgresSupport

/// The opaque `cursor` of the lists: a keyset (`KeysetCursor`) of the last row of the previous page. A cursor
/// no list issued is answered like any other bad parameter, 40001 at `/query/cursor`.
enum PageCursor {
    static let field = "/query/cursor"

    /// The primary-key cursor of a repository's `list`, or nil for the first page.
    static func key(_ text: String?, invalid: ([FieldIssue]) -> some Error) throws -> KeysetCursor? {
        guard let text else { return nil }
        do {
            return try KeysetCursor(text, count: 1)
        } catch {
            throw invalid([FieldIssue(field: field, reason: "is not a cursor this list issued")])
        }
    }

    /// The (created_at, id) position a cursor names, or nil for the first page.
    static func position(_ text: String?, invalid: ([FieldIssue]) -> some Error) throws -> (createdAt: Date, id: UUID)? {
        guard let text else { return nil }
        do {
            let keyset = try KeysetCursor(text, count: 2)
            return (try keyset.value(0, as: Date.self), try keyset.value(1, as: UUID.self))
        } catch {
            throw invalid([FieldIssue(field: field, reason: "is not a cursor this list issued")])
        }
    }

    /// The first `limit` of `rows` (read with one more than a page holds) and the cursor of the page after
    /// them, nil when there is none.
    static func page<Row>(_ rows: [Row], limit: Int, position: (Row) -> (createdAt: Date, id: UUID)) -> (items: [Row], next: String?) {
        guard rows.count > limit else { return (rows, nil) }
        let (createdAt, id) = position(rows[limit - 1])
        return (Array(rows.prefix(limit)), KeysetCursor(values: [createdAt.keysetText, id.keysetText]).description)
    }
}
