import ContractRuntime
import Foundation
import PostgresSupport
import WatermarkAPI
import WatermarkDatabase

/// The caller's data as one JSON document (the account export): profile, sessions (no token
/// hashes or device fingerprints), assets, tasks and masks, the usage ledger, subscriptions,
/// payments and webhook endpoints (no signing secrets). Read in the user's row-level-security
/// scope, so the plain table listings hold exactly the user's rows.
enum AccountArchive {
    static func build(for user: UUID, in context: RepositoryContext, now: Date = Date()) async throws -> JSONValue {
        guard let profile = try await UserRepository(context).find(id: user) else { throw RepositoryError.notFound(table: "users") }
        func object(_ fields: [(String, JSONValue?)]) -> JSONValue {
            .object(JSONObject(fields.map { ($0.0, $0.1 ?? .null) }))
        }
        let sessions = try await all { try await SessionRepository(context).list(after: $0, limit: 500) }.map { row in
            object([
                ("id", row.id.json), ("deviceName", row.deviceName?.json), ("createdAt", row.createdAt.json), ("lastUsedAt", row.lastUsedAt.json),
                ("expiresAt", row.expiresAt.json), ("revokedAt", row.revokedAt?.json), ("revokedReason", row.revokedReason?.rawValue.json),
            ])
        }
        let assets = try await all { try await AssetRepository(context).list(after: $0, limit: 500) }.map { try Asset(row: $0).json }
        let tasks = try await all { try await TaskRepository(context).list(after: $0, limit: 500) }.map { try TaskMapping.task($0).json }
        let masks = try await all { try await TaskMaskRepository(context).list(after: $0, limit: 500) }.map { try TaskMasks.mask($0).json }
        let usage = try await all { try await UsageLedgerRepository(context).list(after: $0, limit: 500) }.map { row in
            object([
                ("taskId", row.taskId.json), ("status", row.status.rawValue.json), ("source", row.source.json), ("units", Int(row.units).json),
                ("periodStart", row.periodStart.json), ("createdAt", row.createdAt.json),
            ])
        }
        let subscriptions = try await all { try await SubscriptionRepository(context).list(after: $0, limit: 500) }.map { try Subscription(row: $0).json }
        let payments = try await all { try await PaymentRepository(context).list(after: $0, limit: 500) }.map { row in
            object([
                ("id", row.id.json), ("planCode", row.planCode.json), ("amountCents", row.amountCents.json), ("currency", row.currency.json),
                ("status", row.status.rawValue.json), ("createdAt", row.createdAt.json), ("paidAt", row.paidAt?.json),
            ])
        }
        let endpoints = try await all { try await WebhookEndpointRepository(context).list(after: $0, limit: 500) }.map { row in
            object([
                ("id", row.id.json), ("url", row.url.json), ("events", row.events.json), ("description", row.description.json),
                ("enabled", row.enabled.json), ("createdAt", row.createdAt.json),
            ])
        }
        return object([
            ("exportedAt", now.json),
            ("profile", object([
                ("id", profile.id.json), ("email", profile.email.json), ("displayName", profile.displayName.json), ("roles", profile.roles.json),
                ("status", profile.status.rawValue.json), ("createdAt", profile.createdAt.json),
            ])),
            ("sessions", .array(sessions)), ("assets", .array(assets)), ("tasks", .array(tasks)), ("masks", .array(masks)),
            ("usage", .array(usage)), ("subscriptions", .array(subscriptions)), ("payments", .array(payments)),
            ("webhookEndpoints", .array(endpoints)),
        ])
    }

    /// Every row of a keyset-paged listing.
    private static func all<Row>(_ page: (KeysetCursor?) async throws -> (rows: [Row], next: KeysetCursor?)) async throws -> [Row] {
        var rows: [Row] = []
        var cursor: KeysetCursor?
        repeat {
            let next = try await page(cursor)
            rows += next.rows
            cursor = next.next
        } while cursor != nil
        return rows
    }
}
