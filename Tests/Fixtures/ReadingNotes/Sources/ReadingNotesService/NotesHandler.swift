import Foundation
import ContractServer
import Hummingbird
import PostgresSupport
import ReadingNotesAPI
import ReadingNotesDatabase

/// The `notes` operations: notes on one of the reader's books, newest first.
struct NotesHandler: NotesAPI {
    typealias Context = BasicRequestContext
    let database: Database

    func createNote(_ input: Operations.CreateNote.Input, context: Context) async throws -> Operations.CreateNote.Output {
        let reader = input.principal.subject
        let fingerprint = try RequestFingerprint(input.body)
        let row = try await database.withContext(.user(reader)) { context in
            // Row-level security hides other readers' books: theirs are not found, like missing ones.
            guard try await BookRepository(context).find(id: input.bookId) != nil else { throw Operations.CreateNote.Failure.notFound() }
            return try await IdempotentCreate.row(
                inserted: NamedQueries(context).insertNote(
                    userId: reader, bookId: input.bookId, text: input.body.text, page: input.body.page,
                    idempotencyKey: input.idempotencyKey, requestHash: fingerprint.bytes),
                previous: try await NoteRepository(context).find(userId: reader, idempotencyKey: input.idempotencyKey),
                storedHash: \.requestHash, fingerprint: fingerprint,
                conflict: { Operations.CreateNote.Failure.conflict("this Idempotency-Key was used for another note") })
        }
        return .created(Note(row))
    }

    func listNotes(_ input: Operations.ListNotes.Input, context: Context) async throws -> Operations.ListNotes.Output {
        let after = try PageCursor.position(input.cursor) { Operations.ListNotes.Failure.invalidArgument(details: $0) }
        let rows = try await database.withContext(.user(input.principal.subject)) { context in
            guard try await BookRepository(context).find(id: input.bookId) != nil else { throw Operations.ListNotes.Failure.notFound() }
            return try await NamedQueries(context).listBookNotes(
                bookId: input.bookId, afterCreatedAt: after?.createdAt, afterId: after?.id ?? UUID(), limit: Int64(input.limit + 1))
        }
        let page = PageCursor.page(rows, limit: input.limit) { ($0.createdAt, $0.id) }
        return .ok(NotePage(items: page.items.map(Note.init), nextCursor: page.next))
    }
}
