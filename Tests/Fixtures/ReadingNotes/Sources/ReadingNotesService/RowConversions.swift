import ContractRuntime
import Foundation
import PostgresSupport
import ReadingNotesAPI
import ReadingNotesDatabase

extension Book {
    /// The API's view of a stored book.
    init(_ row: BookRow) throws {
        self.init(
            id: row.id, title: row.title, author: row.author, status: try converted(row.status), version: row.version, createdAt: row.createdAt,
            updatedAt: row.updatedAt)
    }
}

extension Note {
    /// The API's view of a stored note.
    init(_ row: NoteRow) {
        self.init(id: row.id, bookId: row.bookId, text: row.text, page: row.page, createdAt: row.createdAt)
    }
}

extension Highlight {
    /// The API's view of a stored highlight.
    init(_ row: HighlightRow) throws {
        self.init(id: row.id, noteId: row.noteId, quote: row.quote, colour: try converted(row.colour), createdAt: row.createdAt)
    }
}
