import Crypto
import Foundation
import Testing
@testable import WatermarkService

/// The local-disk storage backend's promises: absent objects read as nil, reads never return more
/// than the caller allows, writes replace whole files, deletes are idempotent, and no key leaves
/// the root.
@Suite("storage: local-disk backend")
struct LocalStorageTests {
    static func withStorage(_ body: (LocalStorage) async throws -> Void) async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("local-storage-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let storage = try LocalStorage(root: root + "/objects", publicURL: "http://127.0.0.1:8080",
                                       signer: StorageURLSigner(secret: SymmetricKey(size: .bits256)))
        try await body(storage)
    }

    @Test func objectsRoundTripWithinTheirLimit() async throws {
        try await Self.withStorage { storage in
            #expect(try await storage.read("results/none.png", maxBytes: 10) == nil)
            let bytes = Array(0..<200).map { UInt8($0) }
            try await storage.write("results/a/b/c.png", bytes, contentType: "image/png")
            #expect(try await storage.read("results/a/b/c.png", maxBytes: 200) == bytes)
            await #expect(throws: StorageError.tooLarge(key: "results/a/b/c.png", maxBytes: 199)) {
                try await storage.read("results/a/b/c.png", maxBytes: 199)
            }
            // A second write replaces the whole object.
            try await storage.write("results/a/b/c.png", [1, 2, 3], contentType: "image/png")
            #expect(try await storage.read("results/a/b/c.png", maxBytes: 200) == [1, 2, 3])
            try await storage.delete("results/a/b/c.png")
            try await storage.delete("results/a/b/c.png")
            #expect(try await storage.read("results/a/b/c.png", maxBytes: 200) == nil)
            #expect(await storage.isWritable())
        }
    }

    @Test(arguments: ["../escape.png", "/etc/passwd", "results/../../escape", "./results/x", ""])
    func keysOutsideTheRootAreRefused(key: String) async throws {
        try await Self.withStorage { storage in
            await #expect(throws: StorageError.self) { try await storage.write(key, [1], contentType: "image/png") }
            await #expect(throws: StorageError.self) { try await storage.read(key, maxBytes: 10) }
            await #expect(throws: StorageError.self) { try await storage.delete(key) }
        }
    }
}
