import Foundation
import PostgresSupport
import WatermarkDatabase

/// The usage ledger of tasks: a task holds one unit of its owner's quota when it is created (or
/// retried), and the hold is committed when it succeeds or released when it fails or is canceled.
/// Every entry is insert-or-skip under a unique key, so each hold is taken, committed or released
/// at most once however often a step is repeated.
enum QuotaLedger {
    /// The caller's plan has no unit left this period (the API's 40302).
    struct Exhausted: Error {
        let quota: Int64
        var message: String { "the plan's \(quota) tasks for this period are used up" }
    }

    /// Holds one unit for `task` under `source` (`create`, `retry:<version>`) after checking that
    /// `user` has one left. The user's row is locked first, so concurrent holds of one user are
    /// counted one after another.
    @discardableResult
    static func hold(task: UUID, user: UUID, source: String, in context: RepositoryContext) async throws -> PlanRow {
        _ = try await NamedQueries(context).lockUserUsage(id: user)
        let (subscription, plan) = try await available(for: user, in: context)
        _ = try await NamedQueries(context).holdUsage(userId: user, taskId: task, source: source, units: 1, periodStart: subscription.currentPeriodStart)
        return plan
    }

    /// `user`'s subscription in its current period (rolled forward when it ended) and plan, when
    /// a unit is left; throws `Exhausted` otherwise. The caller holds the user's usage lock.
    static func available(for user: UUID, in context: RepositoryContext) async throws -> (SubscriptionRow, PlanRow) {
        let (subscription, plan) = try await SubscriptionPeriods.current(for: user, in: context)
        let usage = try await NamedQueries(context).usageForPeriod(userId: user, periodStart: subscription.currentPeriodStart)
        guard (usage?.used ?? 0) + max(usage?.held ?? 0, 0) < Int64(plan.quotaPerPeriod) else {
            throw Exhausted(quota: Int64(plan.quotaPerPeriod))
        }
        return (subscription, plan)
    }

    /// Commits (`succeeded`) or releases `task`'s open hold; nothing when there is none.
    static func settle(task: UUID, succeeded: Bool, in context: RepositoryContext) async throws {
        try await NamedQueries(context).settleOpenUsageHold(taskId: task, status: succeeded ? "COMMITTED" : "RELEASED")
    }
}
