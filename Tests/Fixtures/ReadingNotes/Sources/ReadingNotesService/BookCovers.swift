import ContractRuntime
import ContractServer
import Foundation
import Hummingbird
import PostgresSupport
import ReadingNotesAPI
import ReadingNotesDatabase

/// A book's cover: uploaded as `multipart/form-data` (the generated `Form` hands over the image as a `FormFile`, the
/// caption and the repeated `tags` field already checked), stored in `book_covers` under row-level security.
extension BooksHandler {
    /// What a cover image may be: the media types `book_covers` accepts, told by the file's first bytes (the type the
    /// sender declares for the part is not trusted).
    static func coverType(of bytes: [UInt8]) -> String? {
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return "image/png" }
        if bytes.starts(with: [0xFF, 0xD8, 0xFF]) { return "image/jpeg" }
        return nil
    }

    static let maxCoverBytes = 1 << 20

    func putBookCover(_ input: Operations.PutBookCover.Input, context: Context) async throws -> Operations.PutBookCover.Output {
        typealias Failure = Operations.PutBookCover.Failure
        let image = input.body.image
        guard image.bytes.count <= Self.maxCoverBytes else {
            throw Failure.invalidArgument(details: [.init(field: "/body/image", reason: "must be at most \(Self.maxCoverBytes) bytes")])
        }
        guard let contentType = Self.coverType(of: image.bytes) else {
            throw Failure.invalidArgument(details: [.init(field: "/body/image", reason: "must be a PNG or JPEG image")])
        }
        let reader = input.principal.subject
        let row = try await database.withContext(.user(reader)) { context in
            guard try await BookRepository(context).find(id: input.bookId) != nil else { throw Failure.notFound() }
            // An upsert answers with the row it wrote; none would mean the book went away in between.
            guard let stored = try await NamedQueries(context).putBookCover(
                bookId: input.bookId, userId: reader, contentType: try converted(rawValue: contentType), fileName: image.filename,
                caption: input.body.caption, tags: input.body.tags ?? [], image: ByteBuffer(bytes: image.bytes))
            else { throw Failure.notFound() }
            return stored
        }
        return .ok(BookCover(
            bookId: row.bookId, contentType: try converted(row.contentType), fileName: row.fileName, caption: row.caption,
            tags: row.tags, sizeBytes: Int64(row.sizeBytes), updatedAt: row.updatedAt))
    }

    func getBookCover(_ input: Operations.GetBookCover.Input, context: Context) async throws -> Operations.GetBookCover.Output {
        let row = try await database.withContext(.user(input.principal.subject)) { context in
            try await NamedQueries(context).getBookCoverImage(bookId: input.bookId)
        }
        guard let row else { throw Operations.GetBookCover.Failure.notFound("the book has no cover") }
        return .ok(RawContent(contentType: row.contentType.rawValue, body: ResponseBody(byteBuffer: row.image)))
    }
}
