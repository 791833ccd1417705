import ContractRuntime
import Foundation
import PostgresSupport
import WatermarkDatabase

/// A task a worker claimed, with its upload's row and its mask (nil when gone, or when the task
/// auto-detects), read in the claiming transaction.
struct ClaimedTask: Sendable {
    let task: TaskRow
    let asset: AssetRow?
    let mask: TaskMaskRow?
}

/// The steps a worker takes with a task: claim queued tasks with a lease, report a stage or
/// progress, finish with a stored result, or fail. Status changes go through `TaskStateMachine`;
/// a claim and a stage change are one statement each (no transaction: `Database.withSystemStatements`),
/// finishing is one transaction in which success commits the task's quota hold and failure releases
/// it, each at most once, and the outbox event is written.
struct TaskPipelineSteps: Sendable {
    let database: Database
    let storage: any ObjectStorage
    /// How long a result is kept after success.
    let resultLifetime: TimeInterval

    /// Up to `limit` runnable QUEUED tasks, now PREPROCESSING and leased to `owner` for `lease`
    /// seconds, each with its task event (one statement).
    func claim(owner: String, limit: Int, lease: TimeInterval, mediaType: MediaTypeEnum = .image) async throws -> [TaskRow] {
        try await database.withSystemStatements { context in
            try await NamedQueries(context).claimNextTasks(leaseOwner: owner, limit: Int64(limit), leaseSeconds: lease, mediaType: mediaType)
        }
    }

    /// The next runnable task of `mediaType`, claimed as `claim` does, with its upload's row and its mask (what
    /// processing needs first); nil when the queue is empty. The reads follow the claim on the same
    /// connection: the lease keeps other workers off the task meanwhile.
    func claimNext(owner: String, lease: TimeInterval, mediaType: MediaTypeEnum = .image) async throws -> ClaimedTask? {
        try await database.withSystemStatements { context in
            guard let task = try await NamedQueries(context).claimNextTasks(leaseOwner: owner, limit: 1, leaseSeconds: lease, mediaType: mediaType).first
            else { return nil }
            do {
                let asset = try await AssetRepository(context).find(id: task.assetId)
                let mask = task.maskVersion > 0 ? try await TaskMaskRepository(context).find(taskId: task.id) : nil
                return ClaimedTask(task: task, asset: asset, mask: mask)
            } catch {
                // Not worked on: hand it back now rather than when its lease expires (which would count a retry).
                _ = try? await release(task.id, owner: owner)
                throw error
            }
        }
    }

    /// `task` moved to the running `status` (the next stage, or more progress in the same one), one statement.
    func advance(_ task: TaskRow, to status: TaskStatusEnum, progress: Int16) async throws -> TaskRow {
        try await database.withSystemStatements { context in
            try await TaskStateMachine.move(task, to: status, by: .worker, progress: progress, in: context)
        }
    }

    /// Stores the result, then marks `task` SUCCEEDED with it and commits its quota. If the task
    /// changed meanwhile (canceled), the stored file is removed again and the refusal rethrown.
    func succeed(_ task: TaskRow, result bytes: [UInt8], contentType: String, fileExtension: String) async throws -> TaskRow {
        let key = Self.resultKey(of: task.id, attempt: task.attempt, fileExtension: fileExtension)
        try await storage.write(key, bytes, contentType: contentType)
        return try await succeed(task, storedAt: key, sizeBytes: Int64(bytes.count), contentType: contentType)
    }

    /// `succeed` with the result in the local file `path` (a video).
    func succeed(_ task: TaskRow, resultFile path: String, contentType: String, fileExtension: String) async throws -> TaskRow {
        let key = Self.resultKey(of: task.id, attempt: task.attempt, fileExtension: fileExtension)
        let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int64) ?? 0
        try await storage.upload(key, from: path, contentType: contentType)
        return try await succeed(task, storedAt: key, sizeBytes: size, contentType: contentType)
    }

    /// Marks `task` SUCCEEDED with the result stored at `key`; removes the file when the task changed meanwhile.
    private func succeed(_ task: TaskRow, storedAt key: String, sizeBytes: Int64, contentType: String) async throws -> TaskRow {
        guard let stored = TaskResultContentTypeEnum(rawValue: contentType) else {
            throw EnumMismatch(value: contentType, target: "\(TaskResultContentTypeEnum.self)")
        }
        do {
            return try await database.withContext(.system) { context in
                let done = try await TaskStateMachine.move(task, to: .succeeded, by: .worker, in: context) { row in
                    row.resultKey = key
                    row.resultContentType = stored
                    row.resultSizeBytes = sizeBytes
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
            try await Self.fail(task, code: code, message: message, in: context)
        }
    }

    /// What becomes of a task the worker `owner` was processing when `failure` stopped it: queued
    /// again after the policy's backoff while retries last and the cause is passing, else FAILED
    /// (quota released, `task.failed` published) with a dead letter holding `cause` for operators.
    /// Nothing when the task is no longer running under `owner` (canceled, or recovered by another
    /// worker after this one's lease expired): the answer is nil then.
    func settleFailure(
        of taskID: UUID, owner: String, failure: TaskFailure, cause: String, policy: RetryPolicy
    ) async throws -> TaskRow? {
        try await database.withContext(.system) { context in
            guard let task = try await TaskRepository(context).find(id: taskID), task.leaseOwner == owner,
                  TaskStateMachine.running.contains(task.status)
            else { return nil }
            if failure.retryable, policy.allowsRetry(after: task.retries) {
                return try await Self.requeue(task, after: policy.delay(beforeRetry: task.retries), in: context)
            }
            let failed = try await Self.fail(task, code: Int32(failure.code.rawValue), message: failure.message, in: context)
            try await Self.deadLetter(failed, failure: failure, cause: cause, stage: task.status, in: context)
            return failed
        }
    }

    /// Hands `task` back to the queue at once without counting a retry (a worker shutting down
    /// before it could finish). Nil when the task is no longer running under `owner`.
    func release(_ taskID: UUID, owner: String) async throws -> TaskRow? {
        try await database.withContext(.system) { context in
            guard let task = try await TaskRepository(context).find(id: taskID), task.leaseOwner == owner,
                  TaskStateMachine.running.contains(task.status)
            else { return nil }
            let queued = try await TaskStateMachine.move(task, to: .queued, by: .worker, in: context)
            try await TaskOutbox.publish("task.queued", queued, in: context)
            return queued
        }
    }

    /// Where the result of `attempt` is stored.
    static func resultKey(of task: UUID, attempt: Int32, fileExtension: String) -> String {
        "results/\(task.uuidString.lowercased())-\(attempt).\(fileExtension)"
    }

    /// Up to `limit` tasks whose lease expired (their worker was killed or stalled), each queued
    /// again as a retry or, with its retries used up, FAILED with a dead letter. A result file the
    /// lost attempt may have stored before it stopped is removed (that attempt can no longer
    /// succeed: its state change would be refused as stale).
    func recoverExpiredLeases(limit: Int, policy: RetryPolicy) async throws -> [TaskRow] {
        let recovered = try await recoverExpired(limit: limit, policy: policy)
        for (task, lostAttempt) in recovered {
            for fileExtension in ["png", "jpg", "webp"] + VideoTaskProcessor.resultExtensions {
                let key = Self.resultKey(of: task.id, attempt: lostAttempt, fileExtension: fileExtension)
                do {
                    try await storage.delete(key)
                } catch {
                    database.logger.warning("removing the result file of a lost attempt failed", metadata: ["key": "\(key)", "error": "\(error)"])
                }
            }
        }
        return recovered.map(\.task)
    }

    private func recoverExpired(limit: Int, policy: RetryPolicy) async throws -> [(task: TaskRow, lostAttempt: Int32)] {
        try await database.withContext(.system) { context in
            var recovered: [(task: TaskRow, lostAttempt: Int32)] = []
            for task in try await NamedQueries(context).lockExpiredLeases(limit: Int64(limit)) {
                if policy.allowsRetry(after: task.retries) {
                    recovered.append((try await Self.requeue(task, after: policy.delay(beforeRetry: task.retries), in: context), task.attempt))
                } else {
                    let failure = TaskFailure(code: .internal, message: "processing stopped responding too often", retryable: false)
                    let failed = try await Self.fail(task, code: Int32(failure.code.rawValue), message: failure.message, in: context)
                    let cause = "lease of \(task.leaseOwner ?? "?") expired at attempt \(task.attempt) after \(task.retries) retries"
                    try await Self.deadLetter(failed, failure: failure, cause: cause, stage: task.status, in: context)
                    recovered.append((failed, task.attempt))
                }
            }
            return recovered
        }
    }

    /// Queues `task` again as a retry after `delay`, announcing it (`task.queued`).
    private static func requeue(_ task: TaskRow, after delay: TimeInterval, in context: RepositoryContext) async throws -> TaskRow {
        let queued = try await TaskStateMachine.move(task, to: .queued, by: .worker, in: context) { row in
            row.retries += 1
            row.nextRunAt = Date().addingTimeInterval(delay)
        }
        try await TaskOutbox.publish("task.queued", queued, in: context)
        return queued
    }

    private static func fail(_ task: TaskRow, code: Int32, message: String, in context: RepositoryContext) async throws -> TaskRow {
        let failed = try await TaskStateMachine.move(task, to: .failed, by: .worker, in: context) { row in
            row.errorCode = code
            row.errorMessage = String(message.prefix(500))
        }
        try await QuotaLedger.settle(task: failed.id, succeeded: false, in: context)
        try await TaskOutbox.publish("task.failed", failed, in: context)
        return failed
    }

    /// Records a task that failed for good, for the operators' dead-letter list (replayable: a
    /// replay queues the task again).
    private static func deadLetter(
        _ task: TaskRow, failure: TaskFailure, cause: String, stage: TaskStatusEnum, in context: RepositoryContext
    ) async throws {
        let detail = JSONValue.object(JSONObject([
            ("stage", .string(stage.rawValue)), ("attempt", .integer(Int64(task.attempt))), ("retries", .integer(Int64(task.retries))),
            ("cause", .string(String(cause.prefix(1_000)))),
        ]))
        _ = try await DeadLetterRepository(context).insert(NewDeadLetter(
            source: .task, userId: task.userId, taskId: task.id, errorCode: Int32(failure.code.rawValue),
            errorMessage: String(failure.message.prefix(2_000)), context: detail))
    }
}
