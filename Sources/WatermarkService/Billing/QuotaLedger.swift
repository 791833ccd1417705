import Foundation
import PostgresSupport
import WatermarkDatabase

/// The usage ledger of tasks: a task holds units of its owner's quota when it is created (or
/// retried) — one for an image, one per started minute for a video — and the hold is committed when
/// it succeeds or released when it fails or is canceled.
/// Every entry is insert-or-skip under a unique key, so each hold is taken, committed or released
/// at most once however often a step is repeated.
enum QuotaLedger {
    /// The caller's plan has no unit left this period (the API's 40302).
    struct Exhausted: Error {
        let quota: Int64
        var message: String { "the plan's \(quota) units for this period (one per image, one per started minute of video) are used up" }
    }

    /// Holds the units of `task` (on the asset `asset`) under `source` (`create`, `retry:<version>`) after
    /// checking that `user` has them left. The user's row is locked first, so concurrent holds of one user are
    /// counted one after another.
    @discardableResult
    static func hold(task: UUID, on asset: UUID, user: UUID, source: String, in context: RepositoryContext) async throws -> PlanRow {
        _ = try await NamedQueries(context).lockUserUsage(id: user)
        let units = VideoSettings.quotaUnits(durationMs: try await AssetRepository(context).find(id: asset)?.durationMs)
        let (subscription, plan) = try await available(for: user, units: units, in: context)
        _ = try await NamedQueries(context).holdUsage(userId: user, taskId: task, source: source, units: units, periodStart: subscription.currentPeriodStart)
        return plan
    }

    /// `user`'s subscription in its current period (rolled forward when it ended) and plan, when
    /// `units` are left; throws `Exhausted` otherwise. The caller holds the user's usage lock.
    static func available(for user: UUID, units: Int32 = 1, in context: RepositoryContext) async throws -> (SubscriptionRow, PlanRow) {
        let (subscription, plan) = try await SubscriptionPeriods.current(for: user, in: context)
        let usage = try await NamedQueries(context).usageForPeriod(userId: user, periodStart: subscription.currentPeriodStart)
        guard (usage?.used ?? 0) + max(usage?.held ?? 0, 0) + Int64(units) <= Int64(plan.quotaPerPeriod) else {
            throw Exhausted(quota: Int64(plan.quotaPerPeriod))
        }
        return (subscription, plan)
    }

    /// Commits (`succeeded`) or releases `task`'s open hold; nothing when there is none.
    static func settle(task: UUID, succeeded: Bool, in context: RepositoryContext) async throws {
        try await NamedQueries(context).settleOpenUsageHold(taskId: task, status: succeeded ? .committed : .released)
    }
}
