import Foundation
import Testing
@testable import WatermarkService

/// Scratch space for videos and uploads: what a killed process leaves behind is removed at the next start, what a
/// running job uses is not.
@Suite("workers: scratch directories")
struct ScratchDirectoryTests {
    @Test func leftoversOfStoppedProcessesGoAndDirectoriesInUseStay() throws {
        let parent = FileManager.default.temporaryDirectory.appendingPathComponent("scratch-tests-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: parent) }
        let aMinuteAgo = Date(timeIntervalSinceNow: -120)
        func make(_ name: String, owner: Bool, modified: Date) throws -> String {
            let path = parent + "/" + name
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            try Data(repeating: 7, count: 1 << 20).write(to: URL(fileURLWithPath: path + "/result.mp4"))
            if owner { _ = FileManager.default.createFile(atPath: path + "/.owner", contents: nil) }
            try FileManager.default.setAttributes([.modificationDate: modified], ofItemAtPath: path)
            return path
        }
        // Jobs of a process that was just killed: their owner files are there, nobody holds their locks.
        let killed = try make(ScratchDirectory.prefix + "video-killed", owner: true, modified: Date())
        let killedIntake = try make(ScratchDirectory.prefix + "intake-killed", owner: true, modified: Date())
        // Killed between creating a directory and locking it, long ago; and one another process is making now.
        let unlocked = try make(ScratchDirectory.pendingPrefix + "old", owner: false, modified: aMinuteAgo)
        let young = try make(ScratchDirectory.pendingPrefix + "young", owner: false, modified: Date())
        // Not ours.
        let foreign = try make("someone-elses", owner: false, modified: aMinuteAgo)
        // A job running now.
        let running = try ScratchDirectory(kind: "video", in: parent)
        try Data(repeating: 1, count: 1024).write(to: URL(fileURLWithPath: running.file("source.mp4")))

        #expect(ScratchDirectory.sweep(in: parent) == 3)
        #expect(![killed, killedIntake, unlocked].contains { FileManager.default.fileExists(atPath: $0) })
        #expect(FileManager.default.fileExists(atPath: young) && FileManager.default.fileExists(atPath: foreign))
        #expect(FileManager.default.fileExists(atPath: running.file("source.mp4")))

        // Once the job is over its directory is gone, and a sweep finds nothing more of ours to remove.
        running.remove()
        #expect(!FileManager.default.fileExists(atPath: running.path))
        #expect(ScratchDirectory.sweep(in: parent) == 0)
    }
}
