import WatermarkAPI
import WatermarkDatabase

extension Subscription {
    /// A `subscriptions` row as the API shows it.
    init(_ row: SubscriptionRow) {
        self.init(
            id: row.id, planCode: row.planCode, status: SubscriptionStatus(rawValue: row.status) ?? .active,
            currentPeriodStart: row.currentPeriodStart, currentPeriodEnd: row.currentPeriodEnd, version: row.version)
    }
}
