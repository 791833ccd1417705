import ContractClient
import ContractRuntime
import Foundation
import HummingbirdTesting
import Logging
import PostgresNIO
import PostgresSupport
import ServiceLifecycle
import Synchronization
import Testing
import WatermarkClient
import WatermarkDatabase
@testable import WatermarkService

/// The admin operations over real PostgreSQL: who may call them, task search and history, the
/// dead letters of all three sources with preview and replay (an outbox event that kept failing is
/// replayed and delivered), the audit log with its export and retention, and plans.
@Suite(.serialized) struct AdminOperationsTests {
    /// The service with `root@example.com` as administrator, signed in through the generated client.
    static func withAdmin(_ body: @escaping @Sendable (any TestClientProtocol, ServiceHarness, ServiceUser) async throws -> Void) async throws {
        try await ServiceHarness.with({ $0.adminEmails = ["Root@Example.com"] }) { app, harness in
            try await app.test(.router) { client in
                let root = try await ServiceUser.register(client, email: "root@example.com", displayName: "Root")
                #expect(root.session.user.roles.contains(.admin))
                try await body(client, harness, root)
            }
        }
    }

    /// An outbox consumer that refuses every event while `failing` is set.
    final class FlakyConsumer: OutboxConsumer {
        let failing = Mutex(true)
        func consume(_ event: OutboxEventRow, in context: RepositoryContext) async throws {
            if failing.withLock({ $0 }) { throw StorageError.backend("the downstream system is down") }
        }
    }

    @Test func onlyAdministratorsGetIn() async throws {
        try await Self.withAdmin { client, _, _ in
            let user = try await ServiceUser.register(client)
            await expectFailure(40301, status: 403) { try await user.api.adminSearchTasks() }
            await expectFailure(40301, status: 403) { try await user.api.adminListDeadLetters() }
            await expectFailure(40301, status: 403) { try await user.api.adminSearchAuditLogs() }
            await expectFailure(40301, status: 403) { try await user.api.adminListPlans() }
            await expectFailure(40301, status: 403) { try await user.api.adminExportAuditLogs(format: .csv) }
            await expectFailure(40301, status: 403) {
                try await user.api.adminPreviewDeadLetterReplay(idempotencyKey: "r-\(UUID())", body: DeadLetterSelection(deadLetterIds: [UUID()]))
            }
            await expectFailure(40301, status: 403) {
                try await user.api.adminReplayDeadLetters(idempotencyKey: "r-\(UUID())", body: ReplayDeadLettersRequest(previewId: UUID()))
            }
        }
    }

    @Test func tasksAcrossUsersAndAWholeHistory() async throws {
        try await Self.withAdmin { client, harness, root in
            let ada = try await ServiceUser.register(client)
            let first = try await TaskWorkerTests.task(of: ada)
            let bob = try await ServiceUser.register(client, email: "bob@example.com", displayName: "Bob")
            let second = try await TaskWorkerTests.task(of: bob)
            // The first fails for good (its upload is damaged), so it has an error code to search by.
            let key = try await harness.admin.query("SELECT storage_key FROM assets WHERE id = \(first.assetId)")
            for try await storageKey in key.decode(String.self) { try await harness.storage.write(storageKey, [1, 2, 3], contentType: "image/png") }
            try await TaskWorkerTests.running([TaskWorkerTests.worker(harness)]) {
                _ = try await TaskWorkerTests.wait(ada.api, for: first.id, until: [.failed])
                _ = try await TaskWorkerTests.wait(bob.api, for: second.id, until: [.succeeded])
            }
            let all = try await root.api.adminSearchTasks(limit: 1).body
            #expect(all.items.map(\.task.id) == [second.id] && all.nextCursor != nil)
            let rest = try await root.api.adminSearchTasks(cursor: all.nextCursor!).body
            #expect(rest.items.map(\.task.id) == [first.id])
            let failed = try await root.api.adminSearchTasks(status: .failed, errorCode: 42203).body
            #expect(failed.items.map(\.task.id) == [first.id])
            let none = try await root.api.adminSearchTasks(errorCode: 42204).body
            #expect(none.items.isEmpty)
            let window = try await root.api.adminSearchTasks(from: Date().addingTimeInterval(60)).body
            #expect(window.items.isEmpty)
            let history = try await root.api.adminGetTaskHistory(taskId: second.id).body
            #expect(history.events.map(\.status.rawValue) == ["UPLOADED", "QUEUED", "PREPROCESSING", "DETECTING", "INPAINTING", "PACKAGING", "SUCCEEDED"])
            #expect(history.events.map(\.sequence) == Array(1...7))
            await expectFailure(40401, status: 404) { try await root.api.adminGetTaskHistory(taskId: UUID()) }
        }
    }

    @Test func deadLettersArePreviewedReplayedOnceAndAudited() async throws {
        try await Self.withAdmin { client, harness, root in
            let receiver = WebhookReceiver()
            try await WebhookDeliveryTests.listening(receiver) { url in
                // A user with a webhook for task.created, and a task whose upload is damaged.
                let ada = try await ServiceUser.register(client)
                let endpoint = try await ada.api.createWebhookEndpoint(
                    idempotencyKey: "endpoint-\(UUID())", body: CreateWebhookEndpointRequest(url: url, events: [.taskCreated], description: "test")
                ).body
                receiver.accept(secret: endpoint.secret)
                let task = try await TaskWorkerTests.task(of: ada)
                let key = try await harness.admin.query("SELECT storage_key FROM assets WHERE id = \(task.assetId)")
                var storageKey = ""
                for try await value in key.decode(String.self) { storageKey = value }
                try await harness.storage.write(storageKey, [1, 2, 3], contentType: "image/png")

                // The downstream system refuses the task's events (task.created, task.queued, task.failed) until they are DEAD; the task fails.
                let flaky = FlakyConsumer()
                let outbox = WebhookDeliveryTests.services(harness, consumers: [flaky, WebhookFanOut()])
                try await TaskWorkerTests.running(outbox + [TaskWorkerTests.worker(harness)]) {
                    _ = try await TaskWorkerTests.wait(ada.api, for: task.id, until: [.failed])
                    let deadline = ContinuousClock.now + .seconds(30)
                    while ContinuousClock.now < deadline {
                        let page = try await root.api.adminListDeadLetters(source: .outbox).body
                        if page.items.count == 3 { break }
                        try await Task.sleep(for: .milliseconds(25))
                    }
                }
                let letters = try await root.api.adminListDeadLetters(taskIds: [task.id]).body
                #expect(letters.items.map(\.source).sorted { $0.rawValue < $1.rawValue } == [.outbox, .outbox, .outbox, .task], "\(letters.items)")
                #expect(receiver.received.isEmpty)
                let outboxLetter = try #require(letters.items.first { $0.source == .outbox })
                #expect(outboxLetter.context["attempts"] == .integer(3) && outboxLetter.outboxEventId != nil)

                // A preview changes nothing.
                let selection = DeadLetterSelection(filter: DeadLetterFilter(taskIds: [task.id]))
                let preview = try await root.api.adminPreviewDeadLetterReplay(idempotencyKey: "preview-1", body: selection).body
                #expect(preview.items.count == 4 && preview.items.allSatisfy { $0.outcome == .wouldReplay })
                #expect(try await Self.count(harness, "SELECT count(*) FROM dead_letters WHERE replayed_at IS NOT NULL") == 0)
                // Nothing is replayed that was not previewed: a letter outside the preview is refused.
                let outsider = try await harness.admin.query(
                    "INSERT INTO dead_letters (source, error_code, error_message) VALUES ('OUTBOX', 50001, 'late') RETURNING id")
                var late = UUID()
                for try await id in outsider.decode(UUID.self) { late = id }
                let outsiderReplay = ReplayDeadLettersRequest(previewId: preview.previewId, deadLetterIds: [late])
                await expectFailure(42201, status: 422) { try await root.api.adminReplayDeadLetters(idempotencyKey: "replay-outsider", body: outsiderReplay) }
                await expectFailure(40401, status: 404) {
                    try await root.api.adminReplayDeadLetters(idempotencyKey: "replay-unknown", body: ReplayDeadLettersRequest(previewId: UUID()))
                }

                // The downstream system is back; the task's upload is mended; replay the preview.
                flaky.failing.withLock { $0 = false }
                try await harness.storage.write(storageKey, TaskWorkerTests.marked, contentType: "image/png")
                let replay = ReplayDeadLettersRequest(previewId: preview.previewId, concurrency: 2)
                let replayed = try await root.api.adminReplayDeadLetters(idempotencyKey: "replay-1", body: replay).body
                #expect(replayed.previewId == preview.previewId && replayed.items.count == 4 && replayed.items.allSatisfy { $0.outcome == .replayed },
                        "\(replayed.items)")
                try await TaskWorkerTests.running(WebhookDeliveryTests.services(harness) + [TaskWorkerTests.worker(harness)]) {
                    _ = try await TaskWorkerTests.wait(ada.api, for: task.id, until: [.succeeded])
                    _ = try await WebhookDeliveryTests.delivery(client, ada.token, status: "DELIVERED")
                }
                #expect(receiver.effects.count == 1, "the replayed task.created event reached the receiver (it takes no task.failed)")
                let ledger = try await TaskWorkerTests.ledger(harness, task.id)
                #expect(ledger.filter { $0.hasSuffix(":COMMITTED") }.count == 1 && ledger.contains("create:RELEASED"), "\(ledger)")

                // The same request again gets the same answer; the preview is executed once.
                let repeated = try await root.api.adminReplayDeadLetters(idempotencyKey: "replay-1", body: replay).body
                #expect(repeated == replayed)
                await expectFailure(42201, status: 422) { try await root.api.adminReplayDeadLetters(idempotencyKey: "replay-2", body: replay) }
                // A new preview of the same letters finds them replayed already, so it offers nothing.
                let again = try await root.api.adminPreviewDeadLetterReplay(idempotencyKey: "preview-2", body: selection).body
                #expect(again.items.isEmpty, "a filter selects letters not replayed yet: \(again.items)")
                let audit = try await root.api.adminSearchAuditLogs(targetType: "dead_letters").body
                #expect(audit.items.map(\.action) == ["dead_letters.preview", "dead_letters.replay", "dead_letters.preview"])
                #expect(audit.items.last?.detail["would_replay"] == .integer(4))
                #expect(audit.items[1].detail["replayed"] == .integer(4))
            }
        }
    }

    /// A preview that expired is not executed; replaying needs a fresh preview.
    @Test func anExpiredPreviewIsRefused() async throws {
        try await Self.withAdmin { _, harness, root in
            try await harness.admin.query("""
                INSERT INTO dead_letters (source, error_code, error_message, context)
                VALUES ('WEBHOOK', 50301, 'gave up', jsonb_build_object('deliveryId', gen_random_uuid()::text))
                """)
            let preview = try await root.api.adminPreviewDeadLetterReplay(
                idempotencyKey: "expiring", body: DeadLetterSelection(filter: DeadLetterFilter(source: .webhook))
            ).body
            #expect(preview.items.map(\.outcome) == [.skipped] && preview.items.first?.reason == "the delivery no longer exists")
            #expect(preview.expiresAt.timeIntervalSinceNow > 29 * 60)
            try await harness.admin.query(
                "UPDATE dead_letter_previews SET created_at = now() - interval '2 hours', expires_at = now() - interval '1 hour' WHERE id = \(preview.previewId)")
            let refused = await expectFailure(42201, status: 422) {
                try await root.api.adminReplayDeadLetters(idempotencyKey: "late-replay", body: ReplayDeadLettersRequest(previewId: preview.previewId))
            }
            #expect(refused?.message.contains("expired") == true, "\(String(describing: refused))")
        }
    }

    /// Two letters of one failed task replayed together race for the same task: one replays it, the
    /// other is reported as skipped — never a 500 (the stale move is read again).
    @Test func lettersOfOneTaskReplayedTogetherNeverFail() async throws {
        try await Self.withAdmin { client, harness, root in
            let ada = try await ServiceUser.register(client)
            let task = try await TaskWorkerTests.task(of: ada)
            let key = try await harness.admin.query("SELECT storage_key FROM assets WHERE id = \(task.assetId)")
            var storageKey = ""
            for try await value in key.decode(String.self) { storageKey = value }
            try await harness.storage.write(storageKey, [1, 2, 3], contentType: "image/png")
            try await TaskWorkerTests.running([TaskWorkerTests.worker(harness)]) {
                _ = try await TaskWorkerTests.wait(ada.api, for: task.id, until: [.failed])
            }
            for _ in 0..<3 {
                try await harness.admin.query("""
                    INSERT INTO dead_letters (source, user_id, task_id, error_code, error_message)
                    SELECT source, user_id, task_id, error_code, error_message FROM dead_letters WHERE task_id = \(task.id) LIMIT 1
                    """)
            }
            try await harness.storage.write(storageKey, TaskWorkerTests.marked, contentType: "image/png")
            let preview = try await root.api.adminPreviewDeadLetterReplay(
                idempotencyKey: "race-preview-1", body: DeadLetterSelection(filter: DeadLetterFilter(taskIds: [task.id]))
            ).body
            #expect(preview.items.filter { $0.outcome == .wouldReplay }.count == 4)
            // The 200 answer (`.ok`); a 500 would be thrown as a failure and fail the test.
            let result = try await root.api.adminReplayDeadLetters(
                idempotencyKey: "race-replay-1", body: ReplayDeadLettersRequest(previewId: preview.previewId, concurrency: 4)
            ).body
            #expect(result.items.count == 4)
            #expect(result.items.filter { $0.outcome == .replayed }.count == 1, "\(result.items)")
            #expect(result.items.filter { $0.outcome == .skipped }.count == 3, "\(result.items)")
            #expect(try await TaskWorkerTests.ledger(harness, task.id).filter { $0.hasPrefix("replay:") }.count == 1)
        }
    }

    @Test func replayLimitsAreEnforcedAndRefusalsAudited() async throws {
        try await Self.withAdmin { client, harness, root in
            // 50 DEAD outbox events and their letters.
            try await harness.admin.query("""
                WITH dead AS (
                    INSERT INTO outbox_events (aggregate_type, aggregate_id, event_type, payload, status)
                    SELECT 'task', gen_random_uuid(), 'task.failed', '{}'::jsonb, 'DEAD' FROM generate_series(1, 50)
                    RETURNING id)
                INSERT INTO dead_letters (source, outbox_event_id, error_code, error_message) SELECT 'OUTBOX', id, 50301, 'gave up' FROM dead
                """)
            func send(_ path: String, _ json: String) async throws -> TestResponse {
                try await client.send(.post, path, json: json, key: "limits-\(UUID())", token: root.token)
            }
            // Selections and requests the contract forbids (both a filter and ids, neither, no previewId) are refused
            // by the server (raw: the client checks them and would not send them).
            try TaskLifecycleTests.expect(try await send("/v1/admin/dead-letters/preview", #"{"filter":{"source":"OUTBOX"},"deadLetterIds":["\#(UUID())"]}"#),
                                          .badRequest, 40001)
            try TaskLifecycleTests.expect(try await send("/v1/admin/dead-letters/preview", #"{}"#), .badRequest, 40001)
            try TaskLifecycleTests.expect(try await send("/v1/admin/dead-letters/replay", #"{"concurrency":2}"#), .badRequest, 40001)
            let preview = try await root.api.adminPreviewDeadLetterReplay(
                idempotencyKey: "limits-\(UUID())", body: DeadLetterSelection(filter: DeadLetterFilter(source: .outbox))
            ).body
            #expect(preview.items.count == 50 && preview.items.allSatisfy { $0.outcome == .wouldReplay })
            let id = preview.previewId
            // Their events go away after the preview: the replay reports each as skipped, with the reason.
            try await harness.admin.query("DELETE FROM outbox_events WHERE event_type = 'task.failed' AND status = 'DEAD'")
            await expectFailure(42201, status: 422) {
                try await root.api.adminReplayDeadLetters(idempotencyKey: "limits-\(UUID())", body: ReplayDeadLettersRequest(previewId: id, concurrency: 11))
            }
            await expectFailure(42201, status: 422) {
                try await root.api.adminReplayDeadLetters(
                    idempotencyKey: "limits-\(UUID())", body: ReplayDeadLettersRequest(previewId: id, concurrency: 20, highConcurrency: true))
            }
            #expect(try await Self.count(harness, "SELECT count(*) FROM audit_logs WHERE action = 'dead_letters.replay_refused'") == 1)
            let confirmed = try await root.api.adminReplayDeadLetters(
                idempotencyKey: "limits-\(UUID())", body: ReplayDeadLettersRequest(previewId: id, concurrency: 20, highConcurrency: true, confirm: true)
            ).body
            #expect(confirmed.items.count == 50 && confirmed.items.allSatisfy { $0.outcome == .skipped && $0.reason == "the event no longer exists" })
            #expect(try await Self.count(harness, "SELECT count(*) FROM dead_letters WHERE replayed_at IS NOT NULL") == 0)
        }
    }

    @Test func theAuditLogIsSearchedExportedAndExpires() async throws {
        try await Self.withAdmin { client, harness, root in
            for index in 0..<3 {
                try await harness.admin.query(PostgresQuery(unsafeSQL: """
                    INSERT INTO audit_logs (actor_id, action, target_type, target_id, detail, created_at)
                    VALUES (NULL, 'test.entry', 'thing', 't-\(index)', '{"note":"a, \\"quoted\\" value"}', now() - interval '\(index * 400) days')
                    """))
            }
            let first = try await root.api.adminSearchAuditLogs(action: "test.entry", limit: 2).body
            #expect(first.items.map(\.targetId) == ["t-0", "t-1"] || first.items.count == 2)
            let second = try await root.api.adminSearchAuditLogs(action: "test.entry", cursor: first.nextCursor!, limit: 2).body
            #expect(second.items.count == 1 && second.nextCursor == nil)

            // The export files byte for byte with their Content-Type (raw: the HTTP answer itself is checked).
            let csv = try await client.send(.get, "/v1/admin/audit-logs/export?format=csv&action=test.entry", token: root.token)
            #expect(csv.status == .ok && csv.headers[.contentType] == "text/csv")
            let lines = String(buffer: csv.body).split(separator: "\r\n")
            #expect(lines.first == "id,actorId,action,targetType,targetId,detail,requestId,createdAt" && lines.count == 4)
            #expect(lines.dropFirst().allSatisfy { $0.contains(#","{""note"":""a, \""quoted\"" value""}","#) }, "\(lines)")
            let ndjson = try await client.send(.get, "/v1/admin/audit-logs/export?format=json&targetType=thing", token: root.token)
            #expect(ndjson.headers[.contentType] == "application/x-ndjson")
            let entries = try String(buffer: ndjson.body).split(separator: "\n").map { try AuditLog.decode(json: try JSONParser.parse(Array($0.utf8))) }
            #expect(entries.count == 3 && entries.allSatisfy { $0.action == "test.entry" })

            // Retention: entries older than a year go.
            let removed = try await AuditLogRetention(database: harness.database, retention: 365 * 86_400).sweep()
            #expect(removed == 2)
            #expect(try await Self.count(harness, "SELECT count(*) FROM audit_logs WHERE action = 'test.entry'") == 1)
        }
    }

    @Test func plansAreManagedWithVersions() async throws {
        try await Self.withAdmin { client, harness, root in
            let team = CreatePlanRequest(
                code: "team_month", name: "Team", priceCents: 4900, currency: "USD", billingInterval: .month, quotaPerPeriod: 10000, modes: [.fast, .quality])
            // `.body` is the one success answer, 201 Created.
            let created = try await root.api.adminCreatePlan(idempotencyKey: "plan-create-1", body: team).body
            #expect(created.version == 1)
            await expectFailure(40901, status: 409) { try await root.api.adminCreatePlan(idempotencyKey: "plan-create-2", body: team) }
            let patch = UpdatePlanRequest(quotaPerPeriod: 20000, active: false)
            let updated = try await root.api.adminUpdatePlan(planCode: "team_month", ifMatch: #""1""#, body: patch).body
            #expect(!updated.active && updated.quotaPerPeriod == 20000 && updated.version == 2)
            await expectFailure(40901, status: 409) { try await root.api.adminUpdatePlan(planCode: "team_month", ifMatch: #""1""#, body: patch) }
            await expectFailure(40401, status: 404) { try await root.api.adminUpdatePlan(planCode: "nope_plan", ifMatch: #""1""#, body: patch) }
            // The admin list includes the inactive plan; the public one does not.
            var codes: [String] = []
            var cursor: String?
            repeat {
                let page = try await root.api.adminListPlans(cursor: cursor, limit: 2).body
                codes += page.items.map(\.code)
                cursor = page.nextCursor
            } while cursor != nil
            #expect(codes.contains("team_month") && codes.count == 4)
            let public_ = try await APIClient.inProcess(client).listPlans().body
            #expect(!public_.items.map(\.code).contains("team_month"))
            #expect(try await Self.count(harness, "SELECT count(*) FROM audit_logs WHERE target_type = 'plan' AND target_id = 'team_month'") == 2)
        }
    }

    static func count(_ harness: ServiceHarness, _ sql: String) async throws -> Int64 {
        let rows = try await harness.admin.query(PostgresQuery(unsafeSQL: sql))
        for try await count in rows.decode(Int64.self) { return count }
        return -1
    }
}
