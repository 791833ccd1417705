import ContractRuntime
import Foundation
import ReadingNotesAPI
import ReadingNotesDatabase

/// A stored enumeration value the contract does not know: the database and the contract disagree.
struct UnknownStoredValue: Error, CustomStringConvertible {
    let column: String
    let value: String
    var description: String { "\(column) holds \(value), which the contract's enumeration does not list" }
}

extension Book {
    /// The API's view of a stored book.
    init(_ row: BookRow) throws {
        guard let status = ReadingStatus(rawValue: row.status) else { throw UnknownStoredValue(column: "books.status", value: row.status) }
        self.init(
            id: row.id, title: row.title, author: row.author, status: status, version: row.version, createdAt: row.createdAt,
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
        guard let colour = HighlightColour(rawValue: row.colour) else { throw UnknownStoredValue(column: "highlights.colour", value: row.colour) }
        self.init(id: row.id, noteId: row.noteId, quote: row.quote, colour: colour, createdAt: row.createdAt)
    }
}
