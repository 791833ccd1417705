import ContractServer
import Foundation
import Hummingbird
import PostgresSupport
import ReadingNotesAPI
import ReadingNotesDatabase

/// The `highlights` operations: passages highlighted in one of the reader's notes, oldest first.
struct HighlightsHandler: HighlightsAPI {
    typealias Context = BasicRequestContext
    let database: Database

    func createHighlight(_ input: Operations.CreateHighlight.Input, context: Context) async throws -> Operations.CreateHighlight.Output {
        let reader = input.principal.subject
        let fingerprint = try RequestFingerprint(input.body)
        let row = try await database.withContext(.user(reader)) { context in
            guard try await NoteRepository(context).find(id: input.noteId) != nil else { throw Operations.CreateHighlight.Failure.notFound() }
            return try await IdempotentCreate.row(
                inserted: NamedQueries(context).insertHighlight(
                    userId: reader, noteId: input.noteId, quote: input.body.quote, colour: try converted(input.body.colour),
                    idempotencyKey: input.idempotencyKey, requestHash: fingerprint.bytes),
                previous: try await HighlightRepository(context).find(userId: reader, idempotencyKey: input.idempotencyKey),
                storedHash: \.requestHash, fingerprint: fingerprint,
                conflict: { Operations.CreateHighlight.Failure.conflict("this Idempotency-Key was used for another highlight") })
        }
        return .created(try Highlight(row))
    }

    func listHighlights(_ input: Operations.ListHighlights.Input, context: Context) async throws -> Operations.ListHighlights.Output {
        let after = try PageCursor.position(input.cursor) { Operations.ListHighlights.Failure.invalidArgument(details: $0) }
        let rows = try await database.withContext(.user(input.principal.subject)) { context in
            guard try await NoteRepository(context).find(id: input.noteId) != nil else { throw Operations.ListHighlights.Failure.notFound() }
            return try await NamedQueries(context).listNoteHighlights(
                noteId: input.noteId, afterCreatedAt: after?.createdAt, afterId: after?.id ?? UUID(), limit: Int64(input.limit + 1))
        }
        let page = PageCursor.page(rows, limit: input.limit) { ($0.createdAt, $0.id) }
        return .ok(HighlightPage(items: try page.items.map(Highlight.init), nextCursor: page.next))
    }
}
