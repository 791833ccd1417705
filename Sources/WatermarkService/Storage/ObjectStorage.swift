import Foundation

/// Where the service keeps files — uploaded sources, results — behind one interface, so the
/// local-disk backend and an S3-compatible store are interchangeable. Keys are relative paths
/// (`assets/<id>`, `results/<id>.png`); clients reach objects only through time-limited signed URLs.
public protocol ObjectStorage: Sendable {
    /// Where the files are, for the start banner.
    var location: String { get }
    /// A URL a client PUTs the bytes of `asset` to until `expires`, sending `Content-Type: contentType`.
    func uploadURL(for asset: UUID, key: String, contentType: String, expires: Date) -> String
    /// A URL a client downloads `target` (stored under `key`) from until `expires`.
    func downloadURL(_ target: DownloadTarget, key: String, expires: Date) -> String
    /// The object's bytes; nil when there is none. More than `maxBytes` throws `StorageError.tooLarge`.
    func read(_ key: String, maxBytes: Int) async throws -> [UInt8]?
    /// Stores `bytes` under `key`, replacing any object there; readers never see a partial file.
    func write(_ key: String, _ bytes: [UInt8], contentType: String) async throws
    /// Removes the object; removing a missing object is not an error.
    func delete(_ key: String) async throws
    /// Whether an object can be written and removed right now (health checks).
    func isWritable() async -> Bool
    /// Copies the object into the local file `path` (videos are worked on as files); false when there is none.
    /// More than `maxBytes` throws `StorageError.tooLarge`.
    func download(_ key: String, to path: String, maxBytes: Int64) async throws -> Bool
    /// Stores the local file `path` under `key`, replacing any object there; readers never see a partial object.
    func upload(_ key: String, from path: String, contentType: String) async throws
    /// The object's own file when the backend keeps objects as local files (read in place: no copy); nil otherwise.
    func localFile(of key: String) -> String?
}

extension ObjectStorage {
    public func localFile(of key: String) -> String? { nil }

    /// Through memory: the object is read whole, then written to the file (the S3 backend's way for now).
    public func download(_ key: String, to path: String, maxBytes: Int64) async throws -> Bool {
        guard let bytes = try await read(key, maxBytes: Int(clamping: maxBytes)) else { return false }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return true
    }

    /// Through memory: the file is read whole, then written as the object.
    public func upload(_ key: String, from path: String, contentType: String) async throws {
        try await write(key, Array(try Data(contentsOf: URL(fileURLWithPath: path))), contentType: contentType)
    }
}

/// What a download link is for (the local backend serves each from its own signed route).
public enum DownloadTarget: Sendable, Hashable {
    case taskResult(UUID)
    case accountExport(UUID)
    /// An asset's file as it was uploaded.
    case assetOriginal(UUID)

    /// How long a download link works (capped by the expiry of what it points at).
    static let linkLifetime: TimeInterval = 15 * 60
}

/// Why the storage backend could not do what was asked.
public enum StorageError: Error, Equatable, CustomStringConvertible {
    case tooLarge(key: String, maxBytes: Int)
    case backend(String)

    public var description: String {
        switch self {
        case .tooLarge(let key, let maxBytes): "object \(key) is larger than \(maxBytes) bytes"
        case .backend(let message): message
        }
    }
}
