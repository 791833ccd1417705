import ContractRuntime
import ContractServer
import Foundation
import Hummingbird
import PostgresSupport
import WatermarkAPI
import WatermarkDatabase

/// The `tasks` operations: creating a task for an uploaded asset (holding quota), reading and
/// listing tasks, masks, cancel and retry, the result link, the events stream and deletion.
/// Every status change goes through `TaskStateMachine`; quota through `QuotaLedger`; the outbox
/// event of a change is written in the change's transaction.
struct TasksHandler<Context: RequestContext>: TasksAPI {
    let database: Database
    let storage: any ObjectStorage
    let idempotency: IdempotentRequests
    let limits: RateLimits
    let metrics: ServiceMetrics
    let pending: PendingUploads
    /// What wakes open events streams when their task changes.
    let announcements: TaskEventAnnouncements
    /// How long the events stream stays open at most; clients reconnect with Last-Event-ID.
    let streamLifetime: Duration = .seconds(600)

    init(
        database: Database, storage: any ObjectStorage, auth: AuthServices, pending: PendingUploads, metrics: ServiceMetrics,
        announcements: TaskEventAnnouncements
    ) {
        self.database = database
        self.storage = storage
        idempotency = auth.idempotency
        limits = auth.limits
        self.metrics = metrics
        self.pending = pending
        self.announcements = announcements
    }

    func createTask(_ input: Operations.CreateTask.Input, context: Context) async throws -> Operations.CreateTask.Output {
        typealias Failure = Operations.CreateTask.Failure
        let user = input.principal.subject
        try await limits.creations.admit("task:\(user)", what: "tasks created", else: Failure.self)
        let request = input.body
        if let mask = request.mask {
            let ranges = TaskMasks.timeRangeIssues(mask, mediaType: request.mediaType.rawValue, at: "/body/mask")
            guard ranges.isEmpty else { throw Failure.maskTimeRangesInvalid(details: ranges) }
            let issues = TaskMasks.issues(mask, at: "/body/mask")
            guard issues.isEmpty else { throw Failure.maskWithoutArea(details: issues) }
        }
        do {
            return .created(try await insertTask(input, user: user, uploadChecked: false))
        } catch let pending as PendingUploadToCheck {
            // Checked outside any transaction (it reads the object store), then created afresh.
            try await checkPendingUpload(pending.asset)
            return .created(try await insertTask(input, user: user, uploadChecked: true))
        }
    }

    /// An asset still PENDING_UPLOAD whose bytes may have gone straight to object storage.
    private struct PendingUploadToCheck: Error {
        let asset: AssetRow
    }

    /// Creates the task in one transaction with its idempotency key, quota hold, events, mask and
    /// outbox events (`TaskCreation`); a pending upload not yet checked ends it with `PendingUploadToCheck`.
    private func insertTask(_ input: Operations.CreateTask.Input, user: UUID, uploadChecked: Bool) async throws -> TaskModel {
        typealias Failure = Operations.CreateTask.Failure
        let request = input.body
        return try await idempotency.run(.user(user), key: input.idempotencyKey, operation: "createTask", request: request.json, status: 201, conflict: Failure.conflict) { context in
            // Share-locked: a deletion of the asset waits for this task, then deletes it too.
            guard let asset = try await NamedQueries(context).shareAssetForTask(id: request.assetId), asset.status != .deleted else {
                throw Failure.notFound("no such asset")
            }
            if asset.status == .pendingUpload, !uploadChecked { throw PendingUploadToCheck(asset: asset) }
            guard asset.status == .uploaded else { throw Failure.preconditionFailed("the asset's bytes have not been uploaded yet") }
            guard asset.mediaType.rawValue == request.mediaType.rawValue else {
                throw Failure.preconditionFailed("the asset is \(asset.mediaType == .video ? "a video" : "an image"): mediaType must be \(asset.mediaType.rawValue)")
            }
            let mode = request.mode ?? .fast
            let first = try TaskStateMachine.firstState(
                id: UUID(), user: user, asset: asset, mode: try converted(mode), autoDetect: request.autoDetect, withMask: request.mask != nil)
            let task: TaskRow
            do {
                task = try await TaskCreation.store(first, mask: request.mask, units: VideoSettings.quotaUnits(durationMs: asset.durationMs), in: context)
            } catch let exhausted as QuotaLedger.Exhausted {
                throw Failure.quotaExceeded(exhausted.message)
            } catch let lacking as TaskCreation.PlanLacksMode {
                throw Failure.preconditionFailed(lacking.message)
            }
            metrics.taskCreated(mode: mode.rawValue)
            return try TaskMapping.task(task)
        }
    }

    func listTasks(_ input: Operations.ListTasks.Input, context: Context) async throws -> Operations.ListTasks.Output {
        let user = input.principal.subject
        let after = try RequestValues.keyset(input.cursor) { Operations.ListTasks.Failure.invalidArgument(details: $0) }
        let rows = try await database.withContext(.user(user)) { context in
            try await NamedQueries(context).listUserTasks(
                userId: user, status: input.status.flatMap { TaskStatusEnum(rawValue: $0.rawValue) },
                afterCreatedAt: after?.0, afterId: after?.1 ?? UUID(), limit: Int64(input.limit + 1))
        }
        let next = RequestValues.nextCursor(rows, limit: input.limit) { ($0.createdAt, $0.id) }
        return .ok(TaskPage(items: try rows.prefix(input.limit).map(TaskMapping.task), nextCursor: next))
    }

    func getTask(_ input: Operations.GetTask.Input, context: Context) async throws -> Operations.GetTask.Output {
        let user = input.principal.subject
        guard let task = try await find(input.taskId, of: user) else { throw Operations.GetTask.Failure.notFound("no such task") }
        return .ok(try TaskMapping.task(task))
    }

    func getTaskMask(_ input: Operations.GetTaskMask.Input, context: Context) async throws -> Operations.GetTaskMask.Output {
        typealias Failure = Operations.GetTaskMask.Failure
        let user = input.principal.subject
        let row = try await database.withContext(.user(user)) { context in
            try await TaskRepository(context).find(id: input.taskId) == nil ? nil : try await TaskMaskRepository(context).find(taskId: input.taskId)
        }
        guard let row else { throw Failure.notFound("no such task, or it has no mask yet") }
        return .ok(try TaskMasks.mask(row))
    }

    func deleteTask(_ input: Operations.DeleteTask.Input, context: Context) async throws -> Operations.DeleteTask.Output {
        typealias Failure = Operations.DeleteTask.Failure
        let user = input.principal.subject
        // A worker may move the task between the read and the cancel (a stale version): read it again.
        let files = try await TaskRemoval.rereadingStaleTasks { try await deleteTask(input, user: user) }
        await TaskRemoval.removeFiles(files, from: storage, logger: database.logger, of: "deleted task \(input.taskId)")
        return .noContent
    }

    /// One attempt at deleting a task (and its asset when it was the asset's last task) with an
    /// audit record; returns the files to remove after the commit.
    private func deleteTask(_ input: Operations.DeleteTask.Input, user: UUID) async throws -> [String] {
        typealias Failure = Operations.DeleteTask.Failure
        // System scope: the audit record is not the user's to write. Ownership is checked here.
        return try await database.withContext(.system) { context in
            guard let task = try await TaskRepository(context).find(id: input.taskId), task.userId == user,
                  let (statusBefore, taskFiles) = try await TaskRemoval.delete(task, in: context) else {
                throw Failure.notFound("no such task")
            }
            var files = taskFiles
            if (try await NamedQueries(context).countAssetTasks(assetId: task.assetId))?.tasks == 0,
               let asset = try await NamedQueries(context).markAssetDeleted(id: task.assetId, userId: user) {
                // The last task of the asset: its source file goes too.
                files.append(asset.storageKey)
            }
            _ = try await NamedQueries(context).appendAuditLog(
                actorId: user, action: "task.deleted", targetType: "task", targetId: task.id.uuidString.lowercased(),
                detail: .object(JSONObject([
                    ("assetId", .string(task.assetId.uuidString.lowercased())), ("status", .string(statusBefore.rawValue)),
                    ("filesRemoved", .array(files.map(JSONValue.string))),
                ])),
                requestId: input.xRequestId)
            return files
        }
    }

    /// An asset still PENDING_UPLOAD may have been uploaded straight to object storage: check its
    /// bytes now, and refuse the task when they are not acceptable.
    private func checkPendingUpload(_ asset: AssetRow) async throws {
        typealias Failure = Operations.CreateTask.Failure
        guard case .rejected(let rejection) = try await pending.check(asset) else { return }
        if case .wrongType = rejection { throw Failure.unsupportedMediaType(rejection.message) }
        throw Failure.invalidArgument(rejection.message, details: [FieldIssue(field: "/body/assetId", reason: rejection.message)])
    }

    /// `user`'s task `id`, or nil (row-level security hides other users' tasks).
    func find(_ id: UUID, of user: UUID) async throws -> TaskRow? {
        try await database.withContext(.user(user)) { context in
            try await TaskRepository(context).find(id: id)
        }
    }
}
