import ContractRuntime
import Foundation
import PostgresSupport
import WatermarkDatabase

/// The steps a worker takes with a task, each one transaction: claim queued tasks with a lease,
/// report a stage or progress, finish with a stored result, or fail. Status changes go through
/// `TaskStateMachine`; success commits the task's quota hold and failure releases it, each at most
/// once; every finish writes its outbox event in the same transaction.
struct TaskPipelineSteps: Sendable {
    let database: Database
    let storage: any ObjectStorage
    /// How long a result is kept after success.
    let resultLifetime: TimeInterval

    /// Up to `limit` runnable QUEUED tasks, now PREPROCESSING and leased to `owner` for `lease` seconds.
    func claim(owner: String, limit: Int, lease: TimeInterval) async throws -> [TaskRow] {
        try await database.withContext(.system) { context in
            let queries = NamedQueries(context)
            let claimed = try await queries.claimNextTasks(leaseOwner: owner, limit: Int64(limit), p3: lease)
            for task in claimed {
                _ = try await queries.appendTaskEvent(
                    taskId: task.id, userId: task.userId, status: task.status, progress: task.progress, attempt: task.attempt, errorCode: nil)
            }
            return claimed
        }
    }

    /// `task` moved to the running `status` (the next stage, or more progress in the same one).
    func advance(_ task: TaskRow, to status: TaskStatusEnum, progress: Int16) async throws -> TaskRow {
        try await database.withContext(.system) { context in
            try await TaskStateMachine.move(task, to: status, progress: progress, in: context)
        }
    }

    /// Stores the result, then marks `task` SUCCEEDED with it and commits its quota. If the task
    /// changed meanwhile (canceled), the stored file is removed again and the refusal rethrown.
    func succeed(_ task: TaskRow, result bytes: [UInt8], contentType: String, fileExtension: String) async throws -> TaskRow {
        let key = "results/\(task.id.uuidString.lowercased())-\(task.attempt).\(fileExtension)"
        try await storage.write(key, bytes, contentType: contentType)
        do {
            return try await database.withContext(.system) { context in
                let done = try await TaskStateMachine.move(task, to: .succeeded, in: context) { row in
                    row.resultKey = key
                    row.resultContentType = contentType
                    row.resultSizeBytes = Int64(bytes.count)
                    row.resultExpireAt = Date().addingTimeInterval(resultLifetime)
                }
                try await QuotaLedger.settle(task: done.id, succeeded: true, in: context)
                try await TaskOutbox.publish("task.succeeded", done, in: context)
                return done
            }
        } catch {
            try? await storage.delete(key)
            throw error
        }
    }

    /// Marks `task` FAILED with a catalog `code` and a message, and releases its quota.
    func fail(_ task: TaskRow, code: Int32, message: String) async throws -> TaskRow {
        try await database.withContext(.system) { context in
            let failed = try await TaskStateMachine.move(task, to: .failed, in: context) { row in
                row.errorCode = code
                row.errorMessage = String(message.prefix(500))
            }
            try await QuotaLedger.settle(task: failed.id, succeeded: false, in: context)
            try await TaskOutbox.publish("task.failed", failed, in: context)
            return failed
        }
    }
}
