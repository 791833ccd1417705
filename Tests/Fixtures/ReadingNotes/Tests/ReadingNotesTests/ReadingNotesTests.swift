import ContractClient
import ContractRuntime
import Foundation
import PostgresNIO
import PostgresSupport
import ReadingNotesClient
import ReadingNotesDatabase
import ReadingNotesService
import Testing

/// The reading-notes service as its readers use it: the client generated from its contract calls the
/// server generated from the same contract, served by hand-written handlers over PostgreSQL with
/// row-level security.
@Suite("Reading notes through the generated client")
struct ReadingNotesTests {
    @Test func aBookIsAddedListedInPagesReadAndUpdatedWithIfMatch() async throws {
        try await ReadingNotesHarness.with { harness in
            let api = try await harness.client(as: UUID())
            var added: [Book] = []
            for (index, title) in ["Walden", "Middlemarch", "Ulysses"].enumerated() {
                added.append(try await api.createBook(idempotencyKey: "add-book-\(index)", body: CreateBookRequest(title: title)).body)
            }
            #expect(added.map(\.status) == [.wantToRead, .wantToRead, .wantToRead])
            #expect(added.map(\.version) == [1, 1, 1])

            let first = try await api.listBooks(limit: 2).body
            #expect(first.items.count == 2)
            let cursor = try #require(first.nextCursor)
            let second = try await api.listBooks(cursor: cursor, limit: 2).body
            #expect(second.nextCursor == nil)
            #expect(Set((first.items + second.items).map(\.id)) == Set(added.map(\.id)))

            let walden = added[0]
            #expect(try await api.getBook(bookId: walden.id).body == walden)

            let finished = try await api.updateBook(
                bookId: walden.id, ifMatch: "\"1\"", body: UpdateBookRequest(author: .value("Henry David Thoreau"), status: .finished)).body
            #expect(finished.version == 2)
            #expect(finished.status == .finished)
            #expect(finished.author == "Henry David Thoreau")
            #expect(finished.title == "Walden")

            // A second writer who read version 1 is refused, and nothing it sent is written.
            let stale = await #expect(throws: ClientOperations.UpdateBook.Failure.self) {
                _ = try await api.updateBook(bookId: walden.id, ifMatch: "\"1\"", body: UpdateBookRequest(title: "Walden; or, Life in the Woods"))
            }
            #expect(stale?.code == .conflict)
            #expect(try await api.getBook(bookId: walden.id).body == finished)

            let cleared = try await api.updateBook(bookId: walden.id, ifMatch: "\"2\"", body: UpdateBookRequest(author: .null)).body
            #expect(cleared.author == nil)
            #expect(cleared.version == 3)
        }
    }

    @Test func aRepeatedCreateGivesTheFirstBookAndAnotherBodyUnderTheSameKeyConflicts() async throws {
        try await ReadingNotesHarness.with { harness in
            let reader = UUID()
            let api = try await harness.client(as: reader)
            let request = CreateBookRequest(title: "Stoner", author: "John Williams", status: .reading)
            let created = try await api.createBook(idempotencyKey: "stoner-0001", body: request).body
            let repeated = try await api.createBook(idempotencyKey: "stoner-0001", body: request).body
            #expect(repeated == created)

            let conflict = await #expect(throws: ClientOperations.CreateBook.Failure.self) {
                _ = try await api.createBook(idempotencyKey: "stoner-0001", body: CreateBookRequest(title: "Butcher's Crossing"))
            }
            #expect(conflict?.code == .conflict)
            #expect(try await api.listBooks().body.items == [created])

            // Keys are each reader's own: another reader may use the same one for a book of theirs.
            let other = try await harness.client(as: UUID())
            let theirs = try await other.createBook(idempotencyKey: "stoner-0001", body: request).body
            #expect(theirs.id != created.id)
        }
    }

    @Test func notesAndHighlightsAreTakenIdempotentlyAndListedInPages() async throws {
        try await ReadingNotesHarness.with { harness in
            let api = try await harness.client(as: UUID())
            let book = try await api.createBook(idempotencyKey: "book-notes-1", body: CreateBookRequest(title: "Meditations")).body
            var notes: [Note] = []
            for page in Int32(1)...3 {
                notes.append(try await api.createNote(
                    bookId: book.id, idempotencyKey: "note-page-\(page)", body: CreateNoteRequest(text: "On page \(page)", page: page)).body)
            }
            let again = try await api.createNote(bookId: book.id, idempotencyKey: "note-page-1", body: CreateNoteRequest(text: "On page 1", page: 1)).body
            #expect(again == notes[0])

            // Newest first, two to a page.
            let first = try await api.listNotes(bookId: book.id, limit: 2).body
            let cursor = try #require(first.nextCursor)
            let second = try await api.listNotes(bookId: book.id, cursor: cursor, limit: 2).body
            #expect((first.items + second.items).map(\.id) == notes.reversed().map(\.id))
            #expect(second.nextCursor == nil)

            let note = notes[0]
            let yellow = try await api.createHighlight(
                noteId: note.id, idempotencyKey: "highlight-01", body: CreateHighlightRequest(quote: "Waste no more time arguing", colour: .yellow)).body
            let pink = try await api.createHighlight(
                noteId: note.id, idempotencyKey: "highlight-02", body: CreateHighlightRequest(quote: "what a good man should be", colour: .pink)).body
            #expect(yellow.noteId == note.id)
            let highlights = try await api.listHighlights(noteId: note.id, limit: 1).body
            #expect(highlights.items == [yellow])
            let next = try #require(highlights.nextCursor)
            let rest = try await api.listHighlights(noteId: note.id, cursor: next, limit: 1).body
            #expect(rest.items == [pink])

            let conflict = await #expect(throws: ClientOperations.CreateHighlight.Failure.self) {
                _ = try await api.createHighlight(
                    noteId: note.id, idempotencyKey: "highlight-01", body: CreateHighlightRequest(quote: "Waste no more time arguing", colour: .green))
            }
            #expect(conflict?.code == .conflict)

            let missing = await #expect(throws: ClientOperations.ListNotes.Failure.self) {
                _ = try await api.listNotes(bookId: UUID())
            }
            #expect(missing?.code == .notFound)
        }
    }

    @Test func oneReaderNeverSeesAnothersBooksNotesOrHighlights() async throws {
        try await ReadingNotesHarness.with { harness in
            let owner = UUID()
            let intruder = UUID()
            let mine = try await harness.client(as: owner)
            let theirs = try await harness.client(as: intruder)
            let book = try await mine.createBook(idempotencyKey: "private-book", body: CreateBookRequest(title: "A diary")).body
            let note = try await mine.createNote(bookId: book.id, idempotencyKey: "private-note", body: CreateNoteRequest(text: "Private")).body

            let read = await #expect(throws: ClientOperations.GetBook.Failure.self) { _ = try await theirs.getBook(bookId: book.id) }
            #expect(read?.code == .notFound)
            let update = await #expect(throws: ClientOperations.UpdateBook.Failure.self) {
                _ = try await theirs.updateBook(bookId: book.id, ifMatch: "\"1\"", body: UpdateBookRequest(title: "Mine now"))
            }
            #expect(update?.code == .notFound)
            let annotate = await #expect(throws: ClientOperations.CreateNote.Failure.self) {
                _ = try await theirs.createNote(bookId: book.id, idempotencyKey: "intruding-1", body: CreateNoteRequest(text: "Hello"))
            }
            #expect(annotate?.code == .notFound)
            let highlight = await #expect(throws: ClientOperations.CreateHighlight.Failure.self) {
                _ = try await theirs.createHighlight(noteId: note.id, idempotencyKey: "intruding-2", body: CreateHighlightRequest(quote: "x", colour: .blue))
            }
            #expect(highlight?.code == .notFound)
            #expect(try await theirs.listBooks().body.items.isEmpty)

            // Behind the API: statements in the intruder's scope that name no reader at all still see nothing,
            // while the owner's scope sees the rows.
            let seenByIntruder = try await harness.database.withContext(.user(intruder)) { context in
                (try await BookRepository(context).find(id: book.id), try await NoteRepository(context).list().rows, try await Self.bookCount(context))
            }
            #expect(seenByIntruder.0 == nil)
            #expect(seenByIntruder.1.isEmpty)
            #expect(seenByIntruder.2 == 0)
            #expect(try await harness.database.withContext(.user(owner)) { try await Self.bookCount($0) } == 1)
        }
    }

    @Test func missingBadAndExpiredTokensAreRefused() async throws {
        try await ReadingNotesHarness.with { harness in
            let anonymous = try await harness.client()
            let missing = await #expect(throws: ClientOperations.ListBooks.Failure.self) { _ = try await anonymous.listBooks() }
            #expect(missing?.code == .unauthenticated)

            let forged = try await harness.client(token: try await ReaderTokens(secret: "another-secret-of-at-least-32-bytes").issue(
                reader: UUID(), expiresAt: Date().addingTimeInterval(3600)))
            let bad = await #expect(throws: ClientOperations.ListBooks.Failure.self) { _ = try await forged.listBooks() }
            #expect(bad?.code == .unauthenticated)

            let late = try await harness.client(token: try await harness.tokens.issue(reader: UUID(), expiresAt: Date().addingTimeInterval(-60)))
            let expired = await #expect(throws: ClientOperations.ListBooks.Failure.self) { _ = try await late.listBooks() }
            #expect(expired?.code == .tokenExpired)
        }
    }

    @Test func anInvalidBodyIsRefusedWithThePointersTheClientWouldGive() async throws {
        try await ReadingNotesHarness.with { harness in
            let reader = UUID()
            let api = try await harness.client(as: reader)
            let book = try await api.createBook(idempotencyKey: "book-for-bad-1", body: CreateBookRequest(title: "Emma")).body

            // The generated client does not send a note the contract refuses (empty text, page 0)…
            let refused = await #expect(throws: ContractClientError.self) {
                _ = try await api.createNote(bookId: book.id, idempotencyKey: "bad-note-01", body: CreateNoteRequest(text: "", page: 0))
            }
            guard case .invalidRequest(_, let clientDetails) = refused else { Issue.record("not refused before sending: \(String(describing: refused))"); return }

            // …and the server answers it, sent as raw JSON with an unknown property besides, with 40001 naming each field.
            let token = try await harness.tokens.issue(reader: reader, expiresAt: Date().addingTimeInterval(3600))
            var request = ClientRequest(operationID: "createNote", method: "POST", pathTemplate: "/v1/books/\(book.id.uuidString.lowercased())/notes", sendsCredentials: true)
            request.setHeader("Authorization", "Bearer \(token)")
            request.setHeader("Idempotency-Key", "bad-note-01")
            request.setHeader("Content-Type", "application/json")
            request.body = Array(#"{"text": "", "page": 0, "colour": "MAUVE"}"#.utf8)
            let response = try await ContractClient(baseURL: harness.baseURL).send(request)
            let answer = try #require(ErrorAnswer(response))
            #expect(answer.status == 400)
            #expect(answer.code == 40001)
            #expect(Set(answer.details.map(\.field)) == ["/body/text", "/body/page", "/body/colour"])
            #expect(Set(clientDetails.map(\.field)) == ["/body/text", "/body/page"])
            #expect(try await api.listNotes(bookId: book.id).body.items.isEmpty)

            let badCursor = await #expect(throws: ClientOperations.ListBooks.Failure.self) { _ = try await api.listBooks(cursor: "bm90LWEtY3Vyc29y") }
            #expect(badCursor?.code == .invalidArgument)
            #expect(badCursor?.answer.details.map(\.field) == ["/query/cursor"])
        }
    }

    /// How many books the context's scope sees, counted with SQL that names no reader.
    static func bookCount(_ context: RepositoryContext) async throws -> Int64 {
        let rows = try await context.rows("SELECT count(*) FROM books", PostgresBindings(), { try $0.decode(Int64.self) })
        return rows.first ?? -1
    }

    @Test func aCoverIsUploadedAsAFormReadBackAndABrokenFormIsRefusedFieldByField() async throws {
        try await ReadingNotesHarness.with { harness in
            let reader = UUID()
            let api = try await harness.client(as: reader)
            let book = try await api.createBook(idempotencyKey: "cover-book-1", body: CreateBookRequest(title: "Moby-Dick")).body
            let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + (0..<3000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
            let form = ClientOperations.PutBookCover.Form(
                image: FormFile(filename: "whale \"1\".png", contentType: "image/png", bytes: png), caption: "First edition, 1851",
                tags: ["classic", "sea"])
            let stored = try await api.putBookCover(bookId: book.id, body: form).body
            #expect(stored.bookId == book.id)
            #expect(stored.contentType == .imagePng)
            #expect(stored.fileName == "whale %221%22.png")
            #expect(stored.caption == "First edition, 1851")
            #expect(stored.tags == ["classic", "sea"])
            #expect(stored.sizeBytes == Int64(png.count))
            let image = try await api.getBookCover(bookId: book.id).body
            #expect(image.bytes == png)
            #expect(image.contentType == "image/png")

            // The next upload replaces it; a field left out is left out.
            let jpeg: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0] + Array(repeating: 0x42, count: 100)
            let replaced = try await api.putBookCover(bookId: book.id, body: .init(image: FormFile(contentType: "image/jpeg", bytes: jpeg))).body
            #expect(replaced.contentType == .imageJpeg)
            #expect(replaced.caption == nil)
            #expect(replaced.tags == [])
            #expect(try await api.getBookCover(bookId: book.id).body.bytes == jpeg)

            // The form's own rules, checked by the generated server before the handler runs: 40001 naming each field.
            let tooLong = await #expect(throws: ClientOperations.PutBookCover.Failure.self) {
                _ = try await api.putBookCover(
                    bookId: book.id,
                    body: .init(image: FormFile(bytes: png), caption: String(repeating: "x", count: 201), tags: Array(repeating: "t", count: 6)))
            }
            #expect(tooLong?.code == .invalidArgument)
            #expect(Set(tooLong?.answer.details.map(\.field) ?? []) == ["/body/caption", "/body/tags"])
            let notAnImage = await #expect(throws: ClientOperations.PutBookCover.Failure.self) {
                _ = try await api.putBookCover(bookId: book.id, body: .init(image: FormFile(filename: "a.png", contentType: "image/png", bytes: Array("hello".utf8))))
            }
            #expect(notAnImage?.answer.details.map(\.field) == ["/body/image"])
            #expect(try await api.getBookCover(bookId: book.id).body.bytes == jpeg)

            // Another reader does not see the book: 404, and nothing is stored.
            let other = try await harness.client(as: UUID())
            let hidden = await #expect(throws: ClientOperations.PutBookCover.Failure.self) {
                _ = try await other.putBookCover(bookId: book.id, body: .init(image: FormFile(bytes: png)))
            }
            #expect(hidden?.code == .notFound)

            // Bodies the generated client would not send, straight through its transport.
            let transport = try await harness.transport(as: reader)
            func send(_ body: String, contentType: String = "multipart/form-data; boundary=XyZ") async throws -> (Int, [String]) {
                var request = ClientRequest(operationID: "putBookCover", method: "PUT", pathTemplate: "/v1/books/{bookId}/cover", sendsCredentials: true)
                request.setPath("bookId", book.id)
                request.setRawBody(Array(body.replacingOccurrences(of: "\n", with: "\r\n").utf8), contentType: contentType)
                let response = try await transport.send(request)
                let answer = transport.errorAnswer(response)
                return (response.status, answer?.details.map { "\($0.field) \($0.reason)" } ?? [])
            }
            let noImage = try await send("--XyZ\nContent-Disposition: form-data; name=\"caption\"\n\nhi\n--XyZ\nContent-Disposition: form-data; name=\"colour\"\n\nred\n--XyZ--\n")
            #expect(noImage.0 == 400)
            #expect(noImage.1.sorted() == ["/body/colour is not a field of this form", "/body/image is required"])
            let cutShort = try await send("--XyZ\nContent-Disposition: form-data; name=\"image\"; filename=\"a.png\"\n\n\u{89}PNG")
            #expect(cutShort.0 == 400)
            #expect(cutShort.1.first?.hasPrefix("/body is not a well-formed multipart/form-data body") == true)
            let noBoundary = try await send("whatever", contentType: "multipart/form-data")
            #expect(noBoundary.1 == ["/body is multipart/form-data without a boundary parameter in Content-Type"])
            #expect(try await api.getBookCover(bookId: book.id).body.bytes == jpeg)
        }
    }
}
