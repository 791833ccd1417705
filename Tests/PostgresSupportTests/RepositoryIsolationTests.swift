import Foundation
import Logging
import PostgresNIO
import PostgresSupport
import Testing
import WatermarkDatabase

/// Through every generated repository, a user reads and changes none of another user's rows:
/// user A gets a row in every table, then user B (an ordinary role, row-level security in force)
/// lists, finds, updates and deletes through each repository, and A's rows stay as they were.
@Suite("Row-level security through every generated repository")
struct RepositoryIsolationTests {
    /// One row per table for `user`, valid under every CHECK of the migrations.
    static func seed(_ user: UUID) -> [String] {
        let u = "'\(user.uuidString.lowercased())'"
        let (payment, asset, task, event, endpoint) = (UUID(), UUID(), UUID(), UUID(), UUID())
        let q = { (id: UUID) in "'\(id.uuidString.lowercased())'" }
        return [
            "INSERT INTO sessions (user_id, refresh_token_hash, device_fingerprint, expires_at) VALUES (\(u), decode(md5(\(u)) || md5(\(u)), 'hex'), 'device', now() + interval '1 day')",
            "INSERT INTO subscriptions (user_id, plan_code, status, current_period_start, current_period_end) VALUES (\(u), 'free', 'ACTIVE', now(), now() + interval '30 days')",
            "INSERT INTO payments (id, user_id, plan_code, amount_cents, currency, checkout_expires_at) VALUES (\(q(payment)), \(u), 'pro_month', 999, 'USD', now() + interval '1 hour')",
            "INSERT INTO payment_callbacks (event_id, payment_id, status, payload) VALUES ('evt-' || \(q(payment)), \(q(payment)), 'FAILED', '{}')",
            "INSERT INTO assets (id, user_id, file_name, content_type, media_type, size_bytes, storage_key) VALUES (\(q(asset)), \(u), 'a.png', 'image/png', 'IMAGE', 10, 'key-' || \(q(asset)))",
            "INSERT INTO tasks (id, user_id, asset_id, media_type) VALUES (\(q(task)), \(u), \(q(asset)), 'IMAGE')",
            #"INSERT INTO task_masks (task_id, user_id, polygons) VALUES ("# + q(task) + ", \(u), " + #"'[{"points": []}]')"#,
            "INSERT INTO task_events (task_id, user_id, sequence, status, progress, attempt) VALUES (\(q(task)), \(u), 1, 'UPLOADED', 0, 0)",
            "INSERT INTO task_action_keys (user_id, idempotency_key, task_id, action, response_status, response_body) VALUES (\(u), 'key-12345', \(q(task)), 'CANCEL', 200, '{}')",
            "INSERT INTO idempotency_keys (user_id, idempotency_key, operation_id, request_hash, expires_at) VALUES (\(u), 'key-12345', 'createTask', decode(md5('r') || md5('r'), 'hex'), now() + interval '1 day')",
            "INSERT INTO usage_ledger (user_id, task_id, status, source, period_start) VALUES (\(u), \(q(task)), 'HELD', 'create', now())",
            "INSERT INTO outbox_events (id, user_id, aggregate_type, aggregate_id, event_type, payload) VALUES (\(q(event)), \(u), 'task', \(q(task)), 'task.created', '{}')",
            "INSERT INTO webhook_endpoints (id, user_id, url, events, secret) VALUES (\(q(endpoint)), \(u), 'https://example.com/hook', ARRAY['ping'], repeat('s', 32))",
            "INSERT INTO webhook_deliveries (endpoint_id, user_id, event_id, event_type, payload, next_attempt_at) VALUES (\(q(endpoint)), \(u), \(q(event)), 'ping', '{}', now())",
            "INSERT INTO dead_letters (source, user_id, task_id, error_code, error_message) VALUES ('TASK', \(u), \(q(task)), 50001, 'boom')",
            "INSERT INTO audit_logs (actor_id, action, target_type, target_id) VALUES (\(u), 'task.deleted', 'task', 'x')",
            "INSERT INTO account_exports (user_id) VALUES (\(u))",
        ]
    }

    /// As `intruder`, every row of `Repository`'s table that `owner` holds stays unseen and unchanged.
    static func assertIsolated<Repository: KeyedRepository>(
        _ type: Repository.Type, table: String, system: Database, intruder: Database, intruderID: UUID,
        intrudersOwn: Set<Repository.Row> = []
    ) async throws {
        let before = try await system.withTransaction(.system) { try await Repository(RepositoryContext($0)).all() }
            .filter { !intrudersOwn.contains($0) }
        #expect(!before.isEmpty, "\(table): the seed gave it rows")
        try await intruder.withTransaction(.user(intruderID)) { (connection: PostgresConnection) async throws -> Void in
            let repository = Repository(RepositoryContext(connection))
            let visible = Set(try await repository.all())
            for row in before {
                #expect(!visible.contains(row), "\(table): another user's row is listed")
                #expect(try await repository.find(keyOf: row) == nil, "\(table): another user's row is found")
                #expect(try await repository.delete(keyOf: row) == false, "\(table): another user's row is deleted")
                await #expect(throws: RepositoryError.self, "\(table): another user's row is updated") { try await repository.update(row) }
            }
        }
        let after = try await system.withTransaction(.system) { try await Repository(RepositoryContext($0)).all() }
        #expect(Set(after).subtracting(intrudersOwn) == Set(before), "\(table): rows changed")
    }

    @Test func noRepositoryLetsOneUserSeeOrChangeAnothersRows() async throws {
        try await GeneratedRepositoryTests.withMigratedDatabase { system, name in
            let (owner, intruderRow) = try await system.withTransaction(.system) { connection in
                let users = UserRepository(RepositoryContext(connection))
                return (try await users.insert(GeneratedRepositoryTests.newUser(1)).id, try await users.insert(GeneratedRepositoryTests.newUser(2)))
            }
            let intruder = intruderRow.id
            for statement in Self.seed(owner) { try await system.client.query(PostgresQuery(unsafeSQL: statement)) }

            try await system.asOrdinaryRole(database: name) { intruderDatabase in
                func check<R: KeyedRepository>(_ type: R.Type, _ table: String) async throws {
                    try await Self.assertIsolated(type, table: table, system: system, intruder: intruderDatabase, intruderID: intruder)
                }
                try await Self.assertIsolated(
                    UserRepository.self, table: "users", system: system, intruder: intruderDatabase, intruderID: intruder, intrudersOwn: [intruderRow])
                try await check(SessionRepository.self, "sessions")
                try await check(SubscriptionRepository.self, "subscriptions")
                try await check(PaymentRepository.self, "payments")
                try await check(PaymentCallbackRepository.self, "payment_callbacks")
                try await check(AssetRepository.self, "assets")
                try await check(TaskRepository.self, "tasks")
                try await check(TaskMaskRepository.self, "task_masks")
                try await check(TaskEventRepository.self, "task_events")
                try await check(TaskActionKeyRepository.self, "task_action_keys")
                try await check(IdempotencyKeyRepository.self, "idempotency_keys")
                try await check(UsageLedgerRepository.self, "usage_ledger")
                try await check(OutboxEventRepository.self, "outbox_events")
                try await check(WebhookEndpointRepository.self, "webhook_endpoints")
                try await check(WebhookDeliveryRepository.self, "webhook_deliveries")
                try await check(DeadLetterRepository.self, "dead_letters")
                try await check(AuditLogRepository.self, "audit_logs")
                try await check(AccountExportRepository.self, "account_exports")
            }
        }
    }
}
