import ContractRuntime
import ContractServer
import Foundation
import Hummingbird
import PostgresSupport
import WatermarkAPI
import WatermarkDatabase

/// Masks, cancel, retry and the result link. Each state-changing action is idempotent by its
/// `Idempotency-Key`, scoped to the caller: the same key and the same action on the same task
/// replays the first result; the key used for another action or another task is 40901.
extension TasksHandler {
    func upsertTaskMask(_ input: Operations.UpsertTaskMask.Input, context: Context) async throws -> Operations.UpsertTaskMask.Output {
        typealias Failure = Operations.UpsertTaskMask.Failure
        let user = input.principal.subject
        guard let seen = RequestValues.version(ifMatch: input.ifMatch) else {
            throw Failure.invalidArgument(details: [FieldIssue(field: "/header/If-Match", reason: "is not a version")])
        }
        let issues = TaskMasks.issues(input.body, at: "/body")
        guard issues.isEmpty else { throw Failure.maskWithoutArea(details: issues) }
        let request = JSONValue.object(JSONObject([("taskId", .string(input.taskId.uuidString.lowercased())), ("ifMatch", .integer(seen)), ("mask", input.body.json)]))
        let mask = try await idempotency.run(.user(user), key: input.idempotencyKey, operation: "upsertTaskMask", request: request, status: 200, conflict: Failure.conflict) { context in
            guard let task = try await TaskRepository(context).find(id: input.taskId) else { throw Failure.notFound("no such task") }
            guard task.maskVersion == seen else {
                throw Failure.conflict("the mask is at version \(task.maskVersion), not \(seen); read the task again")
            }
            guard task.status == .uploaded else { throw Failure.preconditionFailed("only a task in UPLOADED takes a mask; this one is \(task.status.rawValue)") }
            let ranges = TaskMasks.timeRangeIssues(input.body, mediaType: task.mediaType.rawValue, at: "/body")
            guard ranges.isEmpty else { throw Failure.maskTimeRangesInvalid(details: ranges) }
            let queued = try await Self.refusing(conflict: Failure.conflict, preconditionFailed: Failure.preconditionFailed) {
                try await TaskMasks.save(input.body, for: task, in: context)
            }
            try await TaskOutbox.publish("task.queued", queued, in: context)
            guard let row = try await TaskMaskRepository(context).find(taskId: task.id) else { throw RepositoryError.notFound(table: "task_masks") }
            return try TaskMasks.mask(row)
        }
        return .ok(mask)
    }

    func cancelTask(_ input: Operations.CancelTask.Input, context: Context) async throws -> Operations.CancelTask.Output {
        typealias Failure = Operations.CancelTask.Failure
        let user = input.principal.subject
        let task = try await idempotency.run(.user(user), key: input.idempotencyKey, operation: "cancelTask", request: Self.action(on: input.taskId), status: 200, conflict: Failure.conflict) { context in
            guard let task = try await TaskRepository(context).find(id: input.taskId) else { throw Failure.notFound("no such task") }
            guard !TaskStateMachine.finished.contains(task.status) else { throw Failure.preconditionFailed("the task already finished (\(task.status.rawValue))") }
            let canceled = try await Self.refusing(conflict: Failure.conflict, preconditionFailed: Failure.preconditionFailed) {
                try await TaskStateMachine.move(task, to: .canceled, by: .user, in: context)
            }
            try await QuotaLedger.settle(task: canceled.id, succeeded: false, in: context)
            try await TaskOutbox.publish("task.canceled", canceled, in: context)
            return try TaskMapping.task(canceled)
        }
        return .ok(task)
    }

    /// Retry is allowed from FAILED and from CANCELED, when the task has something to work from
    /// (a mask or auto-detection); it holds a new unit of quota.
    func retryTask(_ input: Operations.RetryTask.Input, context: Context) async throws -> Operations.RetryTask.Output {
        typealias Failure = Operations.RetryTask.Failure
        let user = input.principal.subject
        let task = try await idempotency.run(.user(user), key: input.idempotencyKey, operation: "retryTask", request: Self.action(on: input.taskId), status: 200, conflict: Failure.conflict) { context in
            guard let task = try await TaskRepository(context).find(id: input.taskId) else { throw Failure.notFound("no such task") }
            guard task.status == .failed || task.status == .canceled else {
                throw Failure.preconditionFailed("only a FAILED or CANCELED task can be retried; this one is \(task.status.rawValue)")
            }
            guard task.maskVersion > 0 || task.autoDetect else {
                throw Failure.preconditionFailed("the task was canceled before it had a mask; create a new task")
            }
            do {
                try await QuotaLedger.hold(task: task.id, on: task.assetId, user: user, source: "retry:\(task.version)", in: context)
            } catch let exhausted as QuotaLedger.Exhausted {
                throw Failure.quotaExceeded(exhausted.message)
            }
            let queued = try await Self.refusing(conflict: Failure.conflict, preconditionFailed: Failure.preconditionFailed) {
                // A user's retry starts the automatic retries afresh.
                try await TaskStateMachine.move(task, to: .queued, by: .user, in: context) { $0.retries = 0 }
            }
            try await TaskOutbox.publish("task.queued", queued, in: context)
            return try TaskMapping.task(queued)
        }
        return .ok(task)
    }

    func getTaskResult(_ input: Operations.GetTaskResult.Input, context: Context) async throws -> Operations.GetTaskResult.Output {
        typealias Failure = Operations.GetTaskResult.Failure
        let user = input.principal.subject
        guard let task = try await find(input.taskId, of: user) else { throw Failure.notFound("no such task") }
        guard task.status == .succeeded, let key = task.resultKey, let contentType = task.resultContentType.flatMap({ ContentType(rawValue: $0.rawValue) }),
              let size = task.resultSizeBytes, let kept = task.resultExpireAt
        else { throw Failure.resultNotReady("the task is \(task.status.rawValue); the result is ready when it SUCCEEDED") }
        guard kept > Date() else { throw Failure.notFound("the result expired at \(kept) and was removed") }
        let expires = min(Date().addingTimeInterval(DownloadTarget.linkLifetime), kept)
        return .ok(TaskResult(
            taskId: task.id, resultUrl: storage.downloadURL(.taskResult(task.id), key: key, expires: expires), expireAt: expires,
            contentType: contentType, sizeBytes: size))
    }

    /// `change`'s result, with a state-machine refusal answered as the operation's own error: a
    /// stale version as `conflict` (40901), an illegal move as `preconditionFailed` (42201).
    static func refusing<Refused: Error>(
        conflict: (String?) -> Refused, preconditionFailed: (String?) -> Refused, _ change: () async throws -> TaskRow
    ) async throws -> TaskRow {
        do {
            return try await change()
        } catch let refusal as TaskStateMachine.Refusal {
            throw refusal == .stale ? conflict(refusal.message) : preconditionFailed(refusal.message)
        }
    }

    /// What identifies a cancel or retry for its idempotency key: the task (the operation is the action).
    static func action(on task: UUID) -> JSONValue {
        .object(JSONObject([("taskId", .string(task.uuidString.lowercased()))]))
    }
}
