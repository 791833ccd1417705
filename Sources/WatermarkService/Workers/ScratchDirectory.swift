import Foundation
import Logging
#if canImport(Glibc)
import Glibc
#endif

/// A private working directory for one job's large files (a video being cleaned, an upload being checked), locked for
/// as long as its owner runs. A process killed in the middle of a job (kill -9, a crash, the machine's OOM killer)
/// cannot remove it, but its lock dies with it: `sweep()`, run when a service or worker process starts, removes every
/// scratch directory whose owner is gone — whichever instance on the machine left it — and none that is in use.
/// A directory gets its name only once it is locked (made under a pending name, then renamed), so a sweep never
/// sees one between its creation and its lock.
final class ScratchDirectory: Sendable {
    /// Scratch directories are `<prefix><kind>-<UUID>` in the temporary directory.
    static let prefix = "watermark-scratch-"
    /// … and `<pendingPrefix><UUID>` until they are locked.
    static let pendingPrefix = ".watermark-scratch-pending-"
    /// The lock file inside each directory.
    private static let ownerFile = ".owner"

    /// The directory.
    let path: String
    /// The owner file, open and locked (`flock`, exclusive) until `remove()`.
    private let lock: Int32

    /// Creates and locks a new directory for a job of `kind` (`video`, `intake`).
    init(kind: String, in parent: String = FileManager.default.temporaryDirectory.path) throws {
        let id = UUID().uuidString
        let pending = "\(parent)/\(Self.pendingPrefix)\(id)"
        path = "\(parent)/\(Self.prefix)\(kind)-\(id)"
        try FileManager.default.createDirectory(atPath: pending, withIntermediateDirectories: true)
        let descriptor = open(pending + "/" + Self.ownerFile, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard descriptor >= 0, flock(descriptor, LOCK_EX | LOCK_NB) == 0, rename(pending, path) == 0 else {
            if descriptor >= 0 { close(descriptor) }
            try? FileManager.default.removeItem(atPath: pending)
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
        lock = descriptor
    }

    /// A file name inside the directory.
    func file(_ name: String) -> String { path + "/" + name }

    /// Removes the directory and its files, then lets go of the lock.
    func remove() {
        try? FileManager.default.removeItem(atPath: path)
        close(lock)
    }

    /// `sweep()` at a process's start, saying what it removed.
    static func sweep(logger: Logger) {
        let removed = sweep()
        if removed > 0 { logger.info("removed scratch directories left by stopped processes", metadata: ["count": "\(removed)"]) }
    }

    /// Removes the scratch directories in `parent` whose owner is gone (their lock can be taken), and pending ones
    /// older than `grace` (their maker died before locking them); returns how many it removed.
    @discardableResult
    static func sweep(in parent: String = FileManager.default.temporaryDirectory.path, grace: TimeInterval = 60) -> Int {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: parent) else { return 0 }
        var removed = 0
        for name in names where name.hasPrefix(prefix) || name.hasPrefix(pendingPrefix) {
            let path = parent + "/" + name
            if name.hasPrefix(pendingPrefix) {
                guard let modified = (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date,
                      Date().timeIntervalSince(modified) >= grace else { continue }
            } else {
                let descriptor = open(path + "/" + ownerFile, O_RDWR | O_CLOEXEC)
                if descriptor >= 0 {
                    defer { close(descriptor) }
                    guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else { continue }  // its owner is still at work
                }
            }
            if (try? FileManager.default.removeItem(atPath: path)) != nil { removed += 1 }
        }
        return removed
    }
}
