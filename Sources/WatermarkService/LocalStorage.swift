import Foundation

/// The local-directory storage backend: uploaded files and results under one root.
public struct LocalStorage: Sendable {
    public let root: String

    /// Creates the root if needed; throws when it cannot be created.
    public init(root: String) throws {
        self.root = root
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    }

    /// Whether a file can be written and removed under the root right now.
    public func isWritable() -> Bool {
        let probe = root + "/.health-\(UUID().uuidString)"
        guard FileManager.default.createFile(atPath: probe, contents: Data("ok".utf8)) else { return false }
        return (try? FileManager.default.removeItem(atPath: probe)) != nil
    }
}
