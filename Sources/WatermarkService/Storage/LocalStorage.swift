import Foundation
import NIOCore
import NIOPosix

/// The local-disk storage backend: files under one root directory, reached by clients through this
/// service's own signed routes (`PUT /v1/storage/uploads/{assetId}`, `GET /v1/storage/results/{taskId}`,
/// `GET /v1/storage/exports/{exportId}`). File IO blocks, so it runs on a thread pool, never on the
/// threads that serve requests and run tasks.
public struct LocalStorage: ObjectStorage {
    public let root: String
    /// The service's address as clients see it (`http://127.0.0.1:8080`), the base of signed links.
    let publicURL: String
    let signer: StorageURLSigner
    /// Where the blocking file calls run.
    let threadPool: NIOThreadPool

    /// Creates the root if needed; throws when it cannot be created.
    init(root: String, publicURL: String, signer: StorageURLSigner, threadPool: NIOThreadPool = .singleton) throws {
        self.root = root
        self.publicURL = publicURL
        self.signer = signer
        self.threadPool = threadPool
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    }

    public var location: String { root }

    public func uploadURL(for asset: UUID, key: String, contentType: String, expires: Date) -> String {
        signer.url(base: publicURL, method: "PUT", path: Self.uploadPath(asset), expires: expires)
    }

    public func downloadURL(_ target: DownloadTarget, key: String, expires: Date) -> String {
        let path = switch target {
        case .taskResult(let task): Self.resultPath(task)
        case .accountExport(let export): Self.exportPath(export)
        case .assetOriginal(let asset): Self.originalPath(asset)
        }
        return signer.url(base: publicURL, method: "GET", path: path, expires: expires)
    }

    static func uploadPath(_ asset: UUID) -> String { "/v1/storage/uploads/\(asset.uuidString.lowercased())" }
    static func resultPath(_ task: UUID) -> String { "/v1/storage/results/\(task.uuidString.lowercased())" }
    static func exportPath(_ export: UUID) -> String { "/v1/storage/exports/\(export.uuidString.lowercased())" }
    static func originalPath(_ asset: UUID) -> String { "/v1/storage/originals/\(asset.uuidString.lowercased())" }

    public func read(_ key: String, maxBytes: Int) async throws -> [UInt8]? {
        let path = try self.path(key)
        return try await threadPool.runIfActive {
            guard let file = FileHandle(forReadingAtPath: path) else { return nil }
            defer { try? file.close() }
            // One byte more than allowed tells a file that is too large, whatever its size said
            // a moment ago.
            let data = try file.read(upToCount: maxBytes < Int.max ? maxBytes + 1 : maxBytes) ?? Data()
            if data.count > maxBytes { throw StorageError.tooLarge(key: key, maxBytes: maxBytes) }
            return Array(data)
        }
    }

    public func write(_ key: String, _ bytes: [UInt8], contentType: String) async throws {
        let url = URL(fileURLWithPath: try path(key))
        try await threadPool.runIfActive {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(bytes).write(to: url, options: .atomic)
        }
    }

    public func delete(_ key: String) async throws {
        let path = try self.path(key)
        try await threadPool.runIfActive {
            guard FileManager.default.fileExists(atPath: path) else { return }
            try FileManager.default.removeItem(atPath: path)
        }
    }

    public func download(_ key: String, to path: String, maxBytes: Int64) async throws -> Bool {
        let source = try self.path(key)
        return try await threadPool.runIfActive {
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: source) else { return false }
            if let size = attributes[.size] as? Int64, size > maxBytes { throw StorageError.tooLarge(key: key, maxBytes: Int(clamping: maxBytes)) }
            try? FileManager.default.removeItem(atPath: path)
            try FileManager.default.copyItem(atPath: source, toPath: path)
            return true
        }
    }

    public func upload(_ key: String, from path: String, contentType: String) async throws {
        let target = try self.path(key)
        try await threadPool.runIfActive {
            let directory = (target as NSString).deletingLastPathComponent
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            // Copied beside the target, then renamed over it: readers see the old file or the whole new one.
            let staging = directory + "/.upload-\(UUID().uuidString)"
            try FileManager.default.copyItem(atPath: path, toPath: staging)
            guard rename(staging, target) == 0 else {
                try? FileManager.default.removeItem(atPath: staging)
                throw StorageError.backend("storing \(key) failed: \(String(cString: strerror(errno)))")
            }
        }
    }

    // MARK: resumable uploads (chunks of a video, `uploadAssetChunk`)

    /// The partial file of `key`'s chunked upload (hidden beside where the file goes).
    private func partialPath(_ key: String) throws -> String {
        let path = try self.path(key)
        return (path as NSString).deletingLastPathComponent + "/.partial-" + (path as NSString).lastPathComponent
    }

    /// Writes `bytes` at `offset` of `key`'s partial file (cut to `offset` first: what a broken chunk left after it goes).
    func appendChunk(_ bytes: ByteBuffer, at offset: Int64, of key: String) async throws {
        let path = try partialPath(key)
        try await threadPool.runIfActive {
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            let descriptor = open(path, O_WRONLY | O_CREAT, 0o600)
            guard descriptor >= 0 else { throw StorageError.backend("opening \(path): \(String(cString: strerror(errno)))") }
            defer { close(descriptor) }
            guard ftruncate(descriptor, off_t(offset)) == 0 else { throw StorageError.backend("truncating \(path): \(String(cString: strerror(errno)))") }
            var written = 0
            try bytes.withUnsafeReadableBytes { buffer in
                while written < buffer.count {
                    let count = pwrite(descriptor, buffer.baseAddress! + written, buffer.count - written, off_t(offset) + off_t(written))
                    guard count > 0 else { throw StorageError.backend("writing \(path): \(String(cString: strerror(errno)))") }
                    written += count
                }
            }
            guard fsync(descriptor) == 0 else { throw StorageError.backend("syncing \(path): \(String(cString: strerror(errno)))") }
        }
    }

    /// The file of the object `key` (results are streamed from it).
    func filePath(of key: String) throws -> String { try path(key) }

    public func localFile(of key: String) -> String? {
        guard let path = try? path(key), FileManager.default.fileExists(atPath: path) else { return nil }
        return path
    }

    /// The local file holding `key`'s chunked upload so far (to check it before it becomes the object).
    func partialFile(of key: String) throws -> String { try partialPath(key) }

    /// Makes the completed partial file the object `key`.
    func completeChunks(of key: String) async throws {
        let partial = try partialPath(key)
        let target = try path(key)
        try await threadPool.runIfActive {
            guard rename(partial, target) == 0 else { throw StorageError.backend("storing \(key) failed: \(String(cString: strerror(errno)))") }
        }
    }

    /// Drops what a chunked upload of `key` received (a refused file, an abandoned upload).
    func discardChunks(of key: String) async throws {
        let partial = try partialPath(key)
        try await threadPool.runIfActive {
            if FileManager.default.fileExists(atPath: partial) { try FileManager.default.removeItem(atPath: partial) }
        }
    }

    public func isWritable() async -> Bool {
        let probe = root + "/.health-\(UUID().uuidString)"
        return (try? await threadPool.runIfActive {
            guard FileManager.default.createFile(atPath: probe, contents: Data("ok".utf8)) else { return false }
            return (try? FileManager.default.removeItem(atPath: probe)) != nil
        }) ?? false
    }

    /// The file of `key`; keys are the service's own, but one that could leave the root is refused.
    private func path(_ key: String) throws -> String {
        guard !key.isEmpty, !key.hasPrefix("/"), !key.split(separator: "/").contains(where: { $0 == ".." || $0 == "." }) else {
            throw StorageError.backend("storage key \(key) is not a relative path inside the storage root")
        }
        return root + "/" + key
    }
}
