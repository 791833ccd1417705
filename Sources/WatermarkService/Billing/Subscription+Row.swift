import PostgresSupport
import WatermarkAPI
import WatermarkDatabase

extension Subscription {
    /// A `subscriptions` row as the API shows it.
    init(_ row: SubscriptionRow) throws {
        self.init(
            id: row.id, planCode: row.planCode, status: try converted(row.status),
            currentPeriodStart: row.currentPeriodStart, currentPeriodEnd: row.currentPeriodEnd, version: row.version)
    }
}
