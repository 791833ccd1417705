import ContractRuntime
import Foundation
import Logging
import PostgresSupport
import WatermarkDatabase

/// Deleting tasks, for `deleteTask` and `deleteAsset` alike: an unfinished task is canceled first
/// (its quota hold released, `task.canceled` published), then its row goes with its masks and
/// events (its dead letters stay for operators, migration 0012). The stored files are removed only
/// after the transaction commits (`removeFiles`), so a failure leaves an orphan file, never a task
/// without its file.
enum TaskRemoval {
    /// Deletes `task` in `context`; returns its status before and the files to remove afterwards.
    /// Throws `TaskStateMachine.Refusal.stale` when a worker moved it meanwhile (read it again).
    static func delete(_ task: TaskRow, in context: RepositoryContext) async throws -> (statusBefore: TaskStatusEnum, files: [String])? {
        var task = task
        let statusBefore = task.status
        if !TaskStateMachine.finished.contains(task.status) {
            task = try await TaskStateMachine.move(task, to: .canceled, by: .user, in: context)
            try await QuotaLedger.settle(task: task.id, succeeded: false, in: context)
            try await TaskOutbox.publish("task.canceled", task, in: context)
        }
        guard try await TaskRepository(context).delete(id: task.id) else { return nil }
        return (statusBefore, task.resultKey.map { [$0] } ?? [])
    }

    /// Removes `keys` from `storage`, logging (not throwing) what could not be removed.
    static func removeFiles(_ keys: [String], from storage: any ObjectStorage, logger: Logger, of what: String) async {
        for key in keys {
            do { try await storage.delete(key) } catch {
                logger.error("could not remove \(key) of \(what): \(error)")
            }
        }
    }

    /// Retries `body` when a task it changes was moved by a worker meanwhile (at most 5 times).
    static func rereadingStaleTasks<Result>(_ body: () async throws -> Result) async throws -> Result {
        var attempt = 0
        while true {
            do {
                return try await body()
            } catch TaskStateMachine.Refusal.stale where attempt < 5 {
                attempt += 1
            }
        }
    }
}
