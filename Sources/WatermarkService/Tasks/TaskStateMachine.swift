import Foundation
import PostgresSupport
import WatermarkDatabase

/// The task lifecycle over the generated status enum: the moves and who may make them are the
/// contract's (`x-state-machine` on `TaskStatus`, generated as `TaskStatusEnum.movers(to:)`); this
/// is what each move does to the row, and the one place that writes a status change — with the
/// row's `version` checked, so of two concurrent changes one wins and the other is refused —
/// together with its task event, in one statement (`MoveTask`) on the caller's connection. The API
/// handlers, the workers and the operators' replay move tasks only through here (claiming,
/// QUEUED → PREPROCESSING, is `ClaimNextTasks`, which contractgen checks against the same moves).
/// A running status may also report more progress (the same status).
enum TaskStateMachine {
    /// Why a change was refused.
    enum Refusal: Error, Equatable {
        /// The contract does not let `actor` make this move (the API's 42201).
        case illegal(from: TaskStatusEnum, to: TaskStatusEnum, by: TaskStatusEnum.Actor)
        /// Progress would go down within an attempt (42201).
        case progressWentDown(from: Int16, to: Int16)
        /// The task changed since it was read (the API's 40901).
        case stale

        var message: String {
            switch self {
            case .illegal(let from, let to, let actor):
                from.movers(to: to).isEmpty
                    ? "a task cannot go from \(from.rawValue) to \(to.rawValue)"
                    : "a task goes from \(from.rawValue) to \(to.rawValue) only by its \(from.movers(to: to).map(\.rawValue).sorted().joined(separator: " or ")), not by a \(actor.rawValue)"
            case .progressWentDown(let from, let to): "progress cannot go down (\(from) → \(to))"
            case .stale: "the task changed meanwhile; read it again"
            }
        }
    }

    static let running: Set<TaskStatusEnum> = [.preprocessing, .detecting, .inpainting, .packaging]
    static let finished: Set<TaskStatusEnum> = [.succeeded, .failed, .canceled]

    /// Moves `task` to `status` as `actor`, writes it if nobody changed it since it was read, and appends the
    /// task event. `progress` defaults to the current one (100 on success; 0 when queued for a new
    /// attempt); `change` sets what goes with the move (an error for FAILED, the result for
    /// SUCCEEDED, a later `nextRunAt` for a retry with backoff, the mask version) and may touch only
    /// what `MoveTask` stores (a precondition says so). Leases end with the running statuses;
    /// finished tasks get `finishedAt`. Refused as `.stale` when the task changed or went away.
    static func move(
        _ task: TaskRow, to status: TaskStatusEnum, by actor: TaskStatusEnum.Actor, progress: Int16? = nil, now: Date = Date(),
        in context: RepositoryContext, _ change: (inout TaskRow) -> Void = { _ in }
    ) async throws -> TaskRow {
        let next = try decide(task, to: status, by: actor, progress: progress, now: now, change)
        guard let stored = try await NamedQueries(context).moveTask(
            id: next.id, version: next.version, status: next.status, progress: next.progress, retries: next.retries,
            maskVersion: next.maskVersion, leaseOwner: next.leaseOwner, leaseExpiresAt: next.leaseExpiresAt,
            heartbeatAt: next.heartbeatAt, nextRunAt: next.nextRunAt, errorCode: next.errorCode, errorMessage: next.errorMessage,
            resultKey: next.resultKey, resultContentType: next.resultContentType, resultSizeBytes: next.resultSizeBytes,
            resultExpireAt: next.resultExpireAt, finishedAt: next.finishedAt)
        else { throw Refusal.stale }
        return stored
    }

    /// The row `move` would store for `actor` moving `task` to `status` (its `version` still the one
    /// read; the store adds one), without storing it. Throws `Refusal.illegal` or `.progressWentDown`.
    static func decide(
        _ task: TaskRow, to status: TaskStatusEnum, by actor: TaskStatusEnum.Actor, progress: Int16? = nil, now: Date = Date(),
        _ change: (inout TaskRow) -> Void = { _ in }
    ) throws -> TaskRow {
        guard task.status.allowsMove(to: status, by: actor) else { throw Refusal.illegal(from: task.status, to: status, by: actor) }
        var next = task
        next.status = status
        switch status {
        case .queued:
            // A new attempt starts: the only move where progress starts again.
            next.progress = progress ?? 0
            next.nextRunAt = now
            next.errorCode = nil
            next.errorMessage = nil
            next.finishedAt = nil
        case .succeeded:
            next.progress = 100
        default:
            next.progress = progress ?? task.progress
            guard next.progress >= task.progress else { throw Refusal.progressWentDown(from: task.progress, to: next.progress) }
        }
        if !running.contains(status) {
            next.leaseOwner = nil
            next.leaseExpiresAt = nil
            next.heartbeatAt = nil
        }
        if status != .queued { next.nextRunAt = nil }
        if finished.contains(status) { next.finishedAt = now }
        change(&next)
        precondition(
            next.id == task.id && next.userId == task.userId && next.assetId == task.assetId && next.mediaType == task.mediaType
                && next.mode == task.mode && next.attempt == task.attempt && next.autoDetect == task.autoDetect
                && next.createdAt == task.createdAt && next.startedAt == task.startedAt && next.version == task.version,
            "a task move may change only what MoveTask stores")
        return next
    }

    /// A new task of `user` for `asset` as it is first stored: UPLOADED, and moved to QUEUED at once
    /// when it comes with a mask (mask version 1) or is to find its watermark itself; it keeps the
    /// current trace context.
    static func firstState(
        id: UUID, user: UUID, asset: AssetRow, mode: ProcessingModeEnum, autoDetect: Bool, withMask: Bool, now: Date = Date()
    ) throws -> TaskRow {
        let uploaded = TaskRow(
            id: id, userId: user, assetId: asset.id, mediaType: asset.mediaType, mode: mode, status: .uploaded, progress: 0, version: 1,
            attempt: 0, retries: 0, autoDetect: autoDetect, maskVersion: 0, leaseOwner: nil, leaseExpiresAt: nil, heartbeatAt: nil,
            nextRunAt: nil, errorCode: nil, errorMessage: nil, resultKey: nil, resultContentType: nil, resultSizeBytes: nil,
            resultExpireAt: nil, createdAt: now, updatedAt: now, startedAt: nil, finishedAt: nil, resultRemovedAt: nil, resultRemindedAt: nil,
            traceParent: TaskTraceContext.current())
        guard withMask || autoDetect else { return uploaded }
        var queued = try decide(uploaded, to: .queued, by: .user, now: now) { if withMask { $0.maskVersion = 1 } }
        queued.version += 1
        return queued
    }
}
