import Foundation
import PostgresSupport
import WatermarkDatabase

/// A user's current subscription and its billing period. Periods roll forward when they are read:
/// the free plan starts a new month, a paid plan whose period ended without renewal expires and
/// the user is back on the free plan. Every user has exactly one ACTIVE subscription.
enum SubscriptionPeriods {
    static let calendar = Calendar(identifier: .gregorian)

    /// The end of a period of `interval` (`MONTH` or `YEAR`) that starts at `start`.
    static func end(of start: Date, interval: BillingIntervalEnum) -> Date {
        calendar.date(byAdding: interval == .year ? .year : .month, value: 1, to: start) ?? start.addingTimeInterval(30 * 86_400)
    }

    /// `user`'s ACTIVE subscription as stored (as it was read, before any roll-forward).
    private static func active(for user: UUID, in context: RepositoryContext) async throws -> SubscriptionRow? {
        // The query returns every subscription column (`s.*`): no second read of the row.
        guard let active = try await NamedQueries(context).activeSubscription(userId: user) else { return nil }
        return SubscriptionRow(
            id: active.id, userId: active.userId, planCode: active.planCode, status: active.status, currentPeriodStart: active.currentPeriodStart,
            currentPeriodEnd: active.currentPeriodEnd, version: active.version, createdAt: active.createdAt, updatedAt: active.updatedAt,
            paymentId: active.paymentId)
    }

    /// Starts an ACTIVE free subscription for `user` now.
    static func startFree(for user: UUID, in context: RepositoryContext, now: Date = Date()) async throws -> SubscriptionRow {
        try await SubscriptionRepository(context).insert(NewSubscription(
            userId: user, planCode: "free", status: .active, currentPeriodStart: now, currentPeriodEnd: end(of: now, interval: .month)))
    }

    /// `user`'s active subscription for the period that contains `now`, with its plan.
    static func current(for user: UUID, in context: RepositoryContext, now: Date = Date()) async throws -> (SubscriptionRow, PlanRow) {
        let subscriptions = SubscriptionRepository(context)
        var subscription: SubscriptionRow
        if let row = try await active(for: user, in: context) {
            subscription = row
        } else {
            subscription = try await startFree(for: user, in: context, now: now)
        }
        if subscription.currentPeriodEnd <= now {
            if subscription.planCode == "free" {
                while subscription.currentPeriodEnd <= now {
                    subscription.currentPeriodStart = subscription.currentPeriodEnd
                    subscription.currentPeriodEnd = end(of: subscription.currentPeriodStart, interval: .month)
                }
                subscription = try await subscriptions.update(subscription)
            } else {
                subscription.status = .expired
                _ = try await subscriptions.update(subscription)
                subscription = try await startFree(for: user, in: context, now: now)
            }
        }
        guard let plan = try await PlanRepository(context).find(code: subscription.planCode) else {
            throw RepositoryError.notFound(table: "plans")
        }
        return (subscription, plan)
    }

    /// Ends `user`'s active subscription and starts `plan` now, paid by `payment`.
    static func activate(_ plan: PlanRow, for user: UUID, paidBy payment: UUID, in context: RepositoryContext, now: Date = Date()) async throws -> SubscriptionRow {
        let subscriptions = SubscriptionRepository(context)
        if var row = try await active(for: user, in: context) {
            row.status = .canceled
            _ = try await subscriptions.update(row)
        }
        return try await subscriptions.insert(NewSubscription(
            userId: user, planCode: plan.code, status: .active, currentPeriodStart: now,
            currentPeriodEnd: end(of: now, interval: plan.billingInterval), paymentId: payment))
    }

    /// Ends the subscription `payment` started, if it is still the active one, and puts `user`
    /// back on the free plan (a refund). Whether a subscription was ended.
    static func revoke(paidBy payment: UUID, for user: UUID, in context: RepositoryContext, now: Date = Date()) async throws -> Bool {
        let subscriptions = SubscriptionRepository(context)
        guard var row = try await active(for: user, in: context), row.paymentId == payment else { return false }
        row.status = .canceled
        _ = try await subscriptions.update(row)
        _ = try await startFree(for: user, in: context, now: now)
        return true
    }
}
