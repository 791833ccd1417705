import ContractServer
import Foundation
import Hummingbird
import PostgresSupport
import ReadingNotesAPI
import ReadingNotesDatabase

/// The `books` operations. Every transaction runs in the reader's scope, so row-level security decides
/// which books exist: `listBooks` reads the table without a WHERE of its own and still sees only the
/// reader's books, and another reader's book is simply not found.
struct BooksHandler: BooksAPI {
    typealias Context = BasicRequestContext
    let database: Database

    func createBook(_ input: Operations.CreateBook.Input, context: Context) async throws -> Operations.CreateBook.Output {
        let reader = input.principal.subject
        let fingerprint = try RequestFingerprint(input.body)
        let row = try await database.withContext(.user(reader)) { context in
            try await IdempotentCreate.row(
                inserted: NamedQueries(context).insertBook(
                    userId: reader, title: input.body.title, author: input.body.author, status: try converted(input.body.status ?? .wantToRead),
                    idempotencyKey: input.idempotencyKey, requestHash: fingerprint.bytes),
                previous: try await BookRepository(context).find(userId: reader, idempotencyKey: input.idempotencyKey),
                storedHash: \.requestHash, fingerprint: fingerprint,
                conflict: { Operations.CreateBook.Failure.conflict("this Idempotency-Key was used for another book") })
        }
        return .created(try Book(row))
    }

    func listBooks(_ input: Operations.ListBooks.Input, context: Context) async throws -> Operations.ListBooks.Output {
        let after = try PageCursor.key(input.cursor) { Operations.ListBooks.Failure.invalidArgument(details: $0) }
        let page = try await database.withContext(.user(input.principal.subject)) { context in
            try await BookRepository(context).list(after: after, limit: input.limit)
        }
        return .ok(BookPage(items: try page.rows.map(Book.init), nextCursor: page.next?.description))
    }

    func getBook(_ input: Operations.GetBook.Input, context: Context) async throws -> Operations.GetBook.Output {
        let row = try await database.withContext(.user(input.principal.subject)) { context in
            try await BookRepository(context).find(id: input.bookId)
        }
        guard let row else { throw Operations.GetBook.Failure.notFound() }
        return .ok(try Book(row))
    }

    func updateBook(_ input: Operations.UpdateBook.Input, context: Context) async throws -> Operations.UpdateBook.Output {
        typealias Failure = Operations.UpdateBook.Failure
        guard let seen = Int64(input.ifMatch.trimmingCharacters(in: CharacterSet(charactersIn: "\""))) else {
            throw Failure.invalidArgument(details: [.init(field: "/header/If-Match", reason: "must be a quoted version")])
        }
        let changes = input.body
        let row = try await database.withContext(.user(input.principal.subject)) { context in
            let books = BookRepository(context)
            guard var book = try await books.find(id: input.bookId) else { throw Failure.notFound() }
            guard book.version == seen else { throw Failure.conflict("the book is at version \(book.version), not \(seen)") }
            if let title = changes.title { book.title = title }
            switch changes.author {
            case .none: break
            case .some(.null): book.author = nil
            case .some(.value(let author)): book.author = author
            }
            if let status = changes.status { book.status = try converted(status) }
            do {
                return try await books.update(book)
            } catch RepositoryError.versionConflict {
                throw Failure.conflict("the book changed while it was being updated")
            }
        }
        return .ok(try Book(row))
    }
}
