import ContractRuntime
import Foundation
import PostgresSupport
import WatermarkAPI
import WatermarkDatabase

/// Stores a new task with the units of quota it holds. Creations of one user are counted one after
/// another under the user's usage lock, so the lock is held for as few round trips as possible: the
/// hold, the task, its events, its mask and its outbox events are one statement
/// (`CreateTaskWithHold`); only a refused create reads on, under the same lock, to say why.
enum TaskCreation {
    /// The user's plan does not include the task's mode (the API's 42201).
    struct PlanLacksMode: Error {
        let plan: PlanRow
        let mode: String
        var message: String { "the \(plan.name) plan does not include \(mode) mode" }
    }

    /// Stores `task` as `TaskStateMachine.firstState` decided it, with `mask`, holding `units` of quota. Throws
    /// `QuotaLedger.Exhausted` when the period has not enough units left and `PlanLacksMode`.
    static func store(_ task: TaskRow, mask: MaskInput?, units: Int32, in context: RepositoryContext) async throws -> TaskRow {
        let queries = NamedQueries(context)
        _ = try await queries.lockUserUsage(id: task.userId)
        let shapes = mask.map(TaskMasks.stored) ?? (.array([]), .array([]), .array([]))
        // The second attempt follows a period the first found ended and the check below rolled forward.
        for _ in 0..<2 {
            if let stored = try await queries.createTaskWithHold(
                id: task.id, userId: task.userId, assetId: task.assetId, mediaType: task.mediaType, mode: task.mode,
                autoDetect: task.autoDetect, status: task.status, version: task.version, nextRunAt: task.nextRunAt,
                maskVersion: task.maskVersion, polygons: shapes.polygons, strokes: shapes.strokes,
                payload: TaskOutbox.payload(task), traceParent: task.traceParent, units: units, timeRanges: shapes.timeRanges)
            {
                return stored
            }
            let (_, plan) = try await QuotaLedger.available(for: task.userId, units: units, in: context)
            guard plan.modes.contains(task.mode.rawValue) else { throw PlanLacksMode(plan: plan, mode: task.mode.rawValue) }
        }
        throw RepositoryError.notFound(table: "subscriptions")
    }
}
