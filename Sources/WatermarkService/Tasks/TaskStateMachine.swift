import Foundation
import PostgresSupport
import WatermarkDatabase

/// The task lifecycle, hand-written over the generated status enum: which moves are legal, what
/// each move does to the row, and the one place that writes a status change — with the row's
/// `version` checked, so of two concurrent changes one wins and the other is refused — together
/// with its task event, in one statement (`MoveTask`) on the caller's connection. The API handlers
/// and the workers both move tasks only through here.
///
///     UPLOADED → QUEUED, CANCELED
///     QUEUED → PREPROCESSING, CANCELED, FAILED
///     PREPROCESSING → DETECTING → INPAINTING → PACKAGING → SUCCEEDED
///     PREPROCESSING, DETECTING, INPAINTING, PACKAGING → QUEUED (retryable failure), FAILED, CANCELED
///     FAILED, CANCELED → QUEUED (a user retry)
///     SUCCEEDED is final. A running status may also report more progress (same status).
enum TaskStateMachine {
    /// Why a change was refused.
    enum Refusal: Error, Equatable {
        /// The table does not allow this move (the API's 42201).
        case illegal(from: TaskStatusEnum, to: TaskStatusEnum)
        /// Progress would go down within an attempt (42201).
        case progressWentDown(from: Int16, to: Int16)
        /// The task changed since it was read (the API's 40901).
        case stale

        var message: String {
            switch self {
            case .illegal(let from, let to): "a task cannot go from \(from.rawValue) to \(to.rawValue)"
            case .progressWentDown(let from, let to): "progress cannot go down (\(from) → \(to))"
            case .stale: "the task changed meanwhile; read it again"
            }
        }
    }

    static let running: Set<TaskStatusEnum> = [.preprocessing, .detecting, .inpainting, .packaging]
    static let finished: Set<TaskStatusEnum> = [.succeeded, .failed, .canceled]

    /// Whether a task may move from `from` to `to` (the exhaustive transition table).
    static func allows(from: TaskStatusEnum, to: TaskStatusEnum) -> Bool {
        switch from {
        case .uploaded: [.queued, .canceled].contains(to)
        case .queued: [.preprocessing, .canceled, .failed].contains(to)
        case .preprocessing: [.preprocessing, .detecting, .queued, .failed, .canceled].contains(to)
        case .detecting: [.detecting, .inpainting, .queued, .failed, .canceled].contains(to)
        case .inpainting: [.inpainting, .packaging, .queued, .failed, .canceled].contains(to)
        case .packaging: [.packaging, .succeeded, .queued, .failed, .canceled].contains(to)
        case .succeeded: false
        case .failed, .canceled: to == .queued
        }
    }

    /// Moves `task` to `status`, writes it if nobody changed it since it was read, and appends the
    /// task event. `progress` defaults to the current one (100 on success; 0 when queued for a new
    /// attempt); `change` sets what goes with the move (an error for FAILED, the result for
    /// SUCCEEDED, a later `nextRunAt` for a retry with backoff, the mask version) and may touch only
    /// what `MoveTask` stores (a precondition says so). Leases end with the running statuses;
    /// finished tasks get `finishedAt`. Refused as `.stale` when the task changed or went away.
    static func move(
        _ task: TaskRow, to status: TaskStatusEnum, progress: Int16? = nil, now: Date = Date(),
        in context: RepositoryContext, _ change: (inout TaskRow) -> Void = { _ in }
    ) async throws -> TaskRow {
        let next = try decide(task, to: status, progress: progress, now: now, change)
        guard let stored = try await NamedQueries(context).moveTask(
            id: next.id, version: next.version, status: next.status, progress: next.progress, retries: next.retries,
            maskVersion: next.maskVersion, leaseOwner: next.leaseOwner, leaseExpiresAt: next.leaseExpiresAt,
            heartbeatAt: next.heartbeatAt, nextRunAt: next.nextRunAt, errorCode: next.errorCode, errorMessage: next.errorMessage,
            resultKey: next.resultKey, resultContentType: next.resultContentType, resultSizeBytes: next.resultSizeBytes,
            resultExpireAt: next.resultExpireAt, finishedAt: next.finishedAt)
        else { throw Refusal.stale }
        return stored
    }

    /// The row `move` would store for moving `task` to `status` (its `version` still the one read;
    /// the store adds one), without storing it. Throws `Refusal.illegal` or `.progressWentDown`.
    static func decide(
        _ task: TaskRow, to status: TaskStatusEnum, progress: Int16? = nil, now: Date = Date(), _ change: (inout TaskRow) -> Void = { _ in }
    ) throws -> TaskRow {
        guard allows(from: task.status, to: status) else { throw Refusal.illegal(from: task.status, to: status) }
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
        id: UUID, user: UUID, asset: AssetRow, mode: String, autoDetect: Bool, withMask: Bool, now: Date = Date()
    ) throws -> TaskRow {
        let uploaded = TaskRow(
            id: id, userId: user, assetId: asset.id, mediaType: asset.mediaType, mode: mode, status: .uploaded, progress: 0, version: 1,
            attempt: 0, retries: 0, autoDetect: autoDetect, maskVersion: 0, leaseOwner: nil, leaseExpiresAt: nil, heartbeatAt: nil,
            nextRunAt: nil, errorCode: nil, errorMessage: nil, resultKey: nil, resultContentType: nil, resultSizeBytes: nil,
            resultExpireAt: nil, createdAt: now, updatedAt: now, startedAt: nil, finishedAt: nil, resultRemovedAt: nil, resultRemindedAt: nil,
            traceParent: TaskTraceContext.current())
        guard withMask || autoDetect else { return uploaded }
        var queued = try decide(uploaded, to: .queued, now: now) { if withMask { $0.maskVersion = 1 } }
        queued.version += 1
        return queued
    }
}
