import ContractRuntime
import Foundation
import HummingbirdTesting
import Logging
import PostgresNIO
import PostgresSupport
import ServiceLifecycle
import Synchronization
import Testing
import WatermarkAPI
import WatermarkDatabase
@testable import WatermarkService

/// The admin operations over real PostgreSQL: who may call them, task search and history, the
/// dead letters of all three sources with preview and replay (an outbox event that kept failing is
/// replayed and delivered), the audit log with its export and retention, and plans.
@Suite(.serialized) struct AdminOperationsTests {
    static let admin = #"{"email":"root@example.com","password":"correct-horse-battery","displayName":"Root"}"#

    /// The service with `root@example.com` as administrator.
    static func withAdmin(_ body: @escaping @Sendable (any TestClientProtocol, ServiceHarness, String) async throws -> Void) async throws {
        try await ServiceHarness.with({ $0.adminEmails = ["Root@Example.com"] }) { app, harness in
            try await app.test(.router) { client in
                let session = try await AuthOperationsTests.register(client, Self.admin)
                #expect(session.user.roles.contains(.admin))
                try await body(client, harness, session.tokens.accessToken)
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
            let user = try await TaskWorkerTests.user(client)
            for path in ["/v1/admin/tasks", "/v1/admin/dead-letters", "/v1/admin/audit-logs", "/v1/admin/plans", "/v1/admin/audit-logs/export?format=csv"] {
                try TaskLifecycleTests.expect(try await client.send(.get, path, token: user), .forbidden, 40301)
            }
            try TaskLifecycleTests.expect(
                try await client.send(.post, "/v1/admin/dead-letters/preview", json: #"{"deadLetterIds":["\#(UUID())"]}"#, key: "r-\(UUID())", token: user),
                .forbidden, 40301)
            try TaskLifecycleTests.expect(
                try await client.send(.post, "/v1/admin/dead-letters/replay", json: #"{"previewId":"\#(UUID())"}"#, key: "r-\(UUID())", token: user),
                .forbidden, 40301)
        }
    }

    @Test func tasksAcrossUsersAndAWholeHistory() async throws {
        try await Self.withAdmin { client, harness, root in
            let (token, first) = try await TaskWorkerTests.task(client)
            let (other, second) = try await TaskWorkerTests.task(client)
            // The first fails for good (its upload is damaged), so it has an error code to search by.
            let key = try await harness.admin.query("SELECT storage_key FROM assets WHERE id = \(first.assetId)")
            for try await storageKey in key.decode(String.self) { try await harness.storage.write(storageKey, [1, 2, 3], contentType: "image/png") }
            try await TaskWorkerTests.running([TaskWorkerTests.worker(harness)]) {
                _ = try await TaskWorkerTests.wait(client, token, for: first.id, until: [.failed])
                _ = try await TaskWorkerTests.wait(client, other, for: second.id, until: [.succeeded])
            }
            let all = try ServiceHarness.data(try await client.send(.get, "/v1/admin/tasks?limit=1", token: root), as: AdminTaskPage.self)
            #expect(all.items.map(\.task.id) == [second.id] && all.nextCursor != nil)
            let rest = try ServiceHarness.data(try await client.send(.get, "/v1/admin/tasks?cursor=\(all.nextCursor!)", token: root), as: AdminTaskPage.self)
            #expect(rest.items.map(\.task.id) == [first.id])
            let failed = try ServiceHarness.data(try await client.send(.get, "/v1/admin/tasks?status=FAILED&errorCode=42203", token: root), as: AdminTaskPage.self)
            #expect(failed.items.map(\.task.id) == [first.id])
            let none = try ServiceHarness.data(try await client.send(.get, "/v1/admin/tasks?errorCode=42204", token: root), as: AdminTaskPage.self)
            #expect(none.items.isEmpty)
            let later = DateTime.format(Date().addingTimeInterval(60))
            let window = try ServiceHarness.data(try await client.send(.get, "/v1/admin/tasks?from=\(later)", token: root), as: AdminTaskPage.self)
            #expect(window.items.isEmpty)
            let history = try ServiceHarness.data(try await client.send(.get, "/v1/admin/tasks/\(second.id)/events", token: root), as: AdminTaskHistory.self)
            #expect(history.events.map(\.status.rawValue) == ["UPLOADED", "QUEUED", "PREPROCESSING", "DETECTING", "INPAINTING", "PACKAGING", "SUCCEEDED"])
            #expect(history.events.map(\.sequence) == Array(1...7))
            try TaskLifecycleTests.expect(try await client.send(.get, "/v1/admin/tasks/\(UUID())/events", token: root), .notFound, 40401)
        }
    }

    @Test func deadLettersArePreviewedReplayedOnceAndAudited() async throws {
        try await Self.withAdmin { client, harness, root in
            let receiver = WebhookReceiver()
            try await WebhookDeliveryTests.listening(receiver) { url in
                // A user with a webhook for task.created, and a task whose upload is damaged.
                let token = try await TaskWorkerTests.user(client)
                let endpoint = try await WebhookDeliveryTests.endpoint(client, token, url: url, events: ["task.created"])
                receiver.accept(secret: endpoint.secret)
                let (_, task) = try await TaskWorkerTests.task(client, token: token)
                let key = try await harness.admin.query("SELECT storage_key FROM assets WHERE id = \(task.assetId)")
                var storageKey = ""
                for try await value in key.decode(String.self) { storageKey = value }
                try await harness.storage.write(storageKey, [1, 2, 3], contentType: "image/png")

                // The downstream system refuses the task's events (task.created, task.queued, task.failed) until they are DEAD; the task fails.
                let flaky = FlakyConsumer()
                let outbox = WebhookDeliveryTests.services(harness, consumers: [flaky, WebhookFanOut()])
                try await TaskWorkerTests.running(outbox + [TaskWorkerTests.worker(harness)]) {
                    _ = try await TaskWorkerTests.wait(client, token, for: task.id, until: [.failed])
                    let deadline = ContinuousClock.now + .seconds(30)
                    while ContinuousClock.now < deadline {
                        let page = try ServiceHarness.data(try await client.send(.get, "/v1/admin/dead-letters?source=OUTBOX", token: root), as: DeadLetterPage.self)
                        if page.items.count == 3 { break }
                        try await Task.sleep(for: .milliseconds(25))
                    }
                }
                let letters = try ServiceHarness.data(try await client.send(.get, "/v1/admin/dead-letters?taskIds=\(task.id)", token: root), as: DeadLetterPage.self)
                #expect(letters.items.map(\.source).sorted { $0.rawValue < $1.rawValue } == [.outbox, .outbox, .outbox, .task], "\(letters.items)")
                #expect(receiver.received.isEmpty)
                let outboxLetter = try #require(letters.items.first { $0.source == .outbox })
                #expect(outboxLetter.context["attempts"] == .integer(3) && outboxLetter.outboxEventId != nil)

                // A preview changes nothing.
                let preview = try ServiceHarness.data(try await client.send(
                    .post, "/v1/admin/dead-letters/preview", json: #"{"filter":{"taskIds":["\#(task.id)"]}}"#, key: "preview-1", token: root),
                    as: ReplayPreview.self)
                #expect(preview.items.count == 4 && preview.items.allSatisfy { $0.outcome == .wouldReplay })
                #expect(try await Self.count(harness, "SELECT count(*) FROM dead_letters WHERE replayed_at IS NOT NULL") == 0)
                // Nothing is replayed that was not previewed: a letter outside the preview is refused.
                let outsider = try await harness.admin.query(
                    "INSERT INTO dead_letters (source, error_code, error_message) VALUES ('OUTBOX', 50001, 'late') RETURNING id")
                var late = UUID()
                for try await id in outsider.decode(UUID.self) { late = id }
                try TaskLifecycleTests.expect(try await client.send(
                    .post, "/v1/admin/dead-letters/replay", json: #"{"previewId":"\#(preview.previewId)","deadLetterIds":["\#(late)"]}"#,
                    key: "replay-outsider", token: root), .unprocessableContent, 42201)
                try TaskLifecycleTests.expect(try await client.send(
                    .post, "/v1/admin/dead-letters/replay", json: #"{"previewId":"\#(UUID())"}"#, key: "replay-unknown", token: root), .notFound, 40401)

                // The downstream system is back; the task's upload is mended; replay the preview.
                flaky.failing.withLock { $0 = false }
                try await harness.storage.write(storageKey, TaskWorkerTests.marked, contentType: "image/png")
                let replayJSON = #"{"previewId":"\#(preview.previewId)","concurrency":2}"#
                let replayed = try ServiceHarness.data(try await client.send(
                    .post, "/v1/admin/dead-letters/replay", json: replayJSON, key: "replay-1", token: root), as: ReplayResult.self)
                #expect(replayed.previewId == preview.previewId && replayed.items.count == 4 && replayed.items.allSatisfy { $0.outcome == .replayed },
                        "\(replayed.items)")
                try await TaskWorkerTests.running(WebhookDeliveryTests.services(harness) + [TaskWorkerTests.worker(harness)]) {
                    _ = try await TaskWorkerTests.wait(client, token, for: task.id, until: [.succeeded])
                    _ = try await WebhookDeliveryTests.delivery(client, token, status: "DELIVERED")
                }
                #expect(receiver.effects.count == 1, "the replayed task.created event reached the receiver (it takes no task.failed)")
                let ledger = try await TaskWorkerTests.ledger(harness, task.id)
                #expect(ledger.filter { $0.hasSuffix(":COMMITTED") }.count == 1 && ledger.contains("create:RELEASED"), "\(ledger)")

                // The same request again gets the same answer; the preview is executed once.
                let repeated = try ServiceHarness.data(try await client.send(
                    .post, "/v1/admin/dead-letters/replay", json: replayJSON, key: "replay-1", token: root), as: ReplayResult.self)
                #expect(repeated == replayed)
                try TaskLifecycleTests.expect(try await client.send(
                    .post, "/v1/admin/dead-letters/replay", json: replayJSON, key: "replay-2", token: root), .unprocessableContent, 42201)
                // A new preview of the same letters finds them replayed already, so it offers nothing.
                let again = try ServiceHarness.data(try await client.send(
                    .post, "/v1/admin/dead-letters/preview", json: #"{"filter":{"taskIds":["\#(task.id)"]}}"#, key: "preview-2", token: root),
                    as: ReplayPreview.self)
                #expect(again.items.isEmpty, "a filter selects letters not replayed yet: \(again.items)")
                let audit = try ServiceHarness.data(try await client.send(.get, "/v1/admin/audit-logs?targetType=dead_letters", token: root), as: AuditLogPage.self)
                #expect(audit.items.map(\.action) == ["dead_letters.preview", "dead_letters.replay", "dead_letters.preview"])
                #expect(audit.items.last?.detail["would_replay"] == .integer(4))
                #expect(audit.items[1].detail["replayed"] == .integer(4))
            }
        }
    }

    /// A preview that expired is not executed; replaying needs a fresh preview.
    @Test func anExpiredPreviewIsRefused() async throws {
        try await Self.withAdmin { client, harness, root in
            try await harness.admin.query("""
                INSERT INTO dead_letters (source, error_code, error_message, context)
                VALUES ('WEBHOOK', 50301, 'gave up', jsonb_build_object('deliveryId', gen_random_uuid()::text))
                """)
            let preview = try ServiceHarness.data(try await client.send(
                .post, "/v1/admin/dead-letters/preview", json: #"{"filter":{"source":"WEBHOOK"}}"#, key: "expiring", token: root), as: ReplayPreview.self)
            #expect(preview.items.map(\.outcome) == [.skipped] && preview.items.first?.reason == "the delivery no longer exists")
            #expect(preview.expiresAt.timeIntervalSinceNow > 29 * 60)
            try await harness.admin.query(
                "UPDATE dead_letter_previews SET created_at = now() - interval '2 hours', expires_at = now() - interval '1 hour' WHERE id = \(preview.previewId)")
            let refused = try await client.send(.post, "/v1/admin/dead-letters/replay", json: #"{"previewId":"\#(preview.previewId)"}"#, key: "late-replay", token: root)
            try TaskLifecycleTests.expect(refused, .unprocessableContent, 42201)
            #expect(String(buffer: refused.body).contains("expired"))
        }
    }

    /// Two letters of one failed task replayed together race for the same task: one replays it, the
    /// other is reported as skipped — never a 500 (the stale move is read again).
    @Test func lettersOfOneTaskReplayedTogetherNeverFail() async throws {
        try await Self.withAdmin { client, harness, root in
            let token = try await TaskWorkerTests.user(client)
            let (_, task) = try await TaskWorkerTests.task(client, token: token)
            let key = try await harness.admin.query("SELECT storage_key FROM assets WHERE id = \(task.assetId)")
            var storageKey = ""
            for try await value in key.decode(String.self) { storageKey = value }
            try await harness.storage.write(storageKey, [1, 2, 3], contentType: "image/png")
            try await TaskWorkerTests.running([TaskWorkerTests.worker(harness)]) {
                _ = try await TaskWorkerTests.wait(client, token, for: task.id, until: [.failed])
            }
            for _ in 0..<3 {
                try await harness.admin.query("""
                    INSERT INTO dead_letters (source, user_id, task_id, error_code, error_message)
                    SELECT source, user_id, task_id, error_code, error_message FROM dead_letters WHERE task_id = \(task.id) LIMIT 1
                    """)
            }
            try await harness.storage.write(storageKey, TaskWorkerTests.marked, contentType: "image/png")
            let preview = try ServiceHarness.data(try await client.send(
                .post, "/v1/admin/dead-letters/preview", json: #"{"filter":{"taskIds":["\#(task.id)"]}}"#, key: "race-preview-1", token: root),
                as: ReplayPreview.self)
            #expect(preview.items.filter { $0.outcome == .wouldReplay }.count == 4)
            let response = try await client.send(
                .post, "/v1/admin/dead-letters/replay", json: #"{"previewId":"\#(preview.previewId)","concurrency":4}"#, key: "race-replay-1", token: root)
            #expect(response.status == .ok, "\(String(buffer: response.body))")
            let result = try ServiceHarness.data(response, as: ReplayResult.self)
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
                try await client.send(.post, path, json: json, key: "limits-\(UUID())", token: root)
            }
            try TaskLifecycleTests.expect(try await send("/v1/admin/dead-letters/preview", #"{"filter":{"source":"OUTBOX"},"deadLetterIds":["\#(UUID())"]}"#),
                                          .badRequest, 40001)
            try TaskLifecycleTests.expect(try await send("/v1/admin/dead-letters/preview", #"{}"#), .badRequest, 40001)
            try TaskLifecycleTests.expect(try await send("/v1/admin/dead-letters/replay", #"{"concurrency":2}"#), .badRequest, 40001)
            let preview = try ServiceHarness.data(try await send("/v1/admin/dead-letters/preview", #"{"filter":{"source":"OUTBOX"}}"#), as: ReplayPreview.self)
            #expect(preview.items.count == 50 && preview.items.allSatisfy { $0.outcome == .wouldReplay })
            let id = preview.previewId
            // Their events go away after the preview: the replay reports each as skipped, with the reason.
            try await harness.admin.query("DELETE FROM outbox_events WHERE event_type = 'task.failed' AND status = 'DEAD'")
            try TaskLifecycleTests.expect(try await send("/v1/admin/dead-letters/replay", #"{"previewId":"\#(id)","concurrency":11}"#), .unprocessableContent, 42201)
            let refused = try await send("/v1/admin/dead-letters/replay", #"{"previewId":"\#(id)","concurrency":20,"highConcurrency":true}"#)
            try TaskLifecycleTests.expect(refused, .unprocessableContent, 42201)
            #expect(try await Self.count(harness, "SELECT count(*) FROM audit_logs WHERE action = 'dead_letters.replay_refused'") == 1)
            let confirmed = try ServiceHarness.data(
                try await send("/v1/admin/dead-letters/replay", #"{"previewId":"\#(id)","concurrency":20,"highConcurrency":true,"confirm":true}"#),
                as: ReplayResult.self)
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
            let first = try ServiceHarness.data(try await client.send(.get, "/v1/admin/audit-logs?action=test.entry&limit=2", token: root), as: AuditLogPage.self)
            #expect(first.items.map(\.targetId) == ["t-0", "t-1"] || first.items.count == 2)
            let second = try ServiceHarness.data(
                try await client.send(.get, "/v1/admin/audit-logs?action=test.entry&limit=2&cursor=\(first.nextCursor!)", token: root), as: AuditLogPage.self)
            #expect(second.items.count == 1 && second.nextCursor == nil)

            let csv = try await client.send(.get, "/v1/admin/audit-logs/export?format=csv&action=test.entry", token: root)
            #expect(csv.status == .ok && csv.headers[.contentType] == "text/csv")
            let lines = String(buffer: csv.body).split(separator: "\r\n")
            #expect(lines.first == "id,actorId,action,targetType,targetId,detail,requestId,createdAt" && lines.count == 4)
            #expect(lines.dropFirst().allSatisfy { $0.contains(#","{""note"":""a, \""quoted\"" value""}","#) }, "\(lines)")
            let ndjson = try await client.send(.get, "/v1/admin/audit-logs/export?format=json&targetType=thing", token: root)
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
            let team = #"{"code":"team_month","name":"Team","priceCents":4900,"currency":"USD","billingInterval":"MONTH","quotaPerPeriod":10000,"modes":["FAST","QUALITY"]}"#
            let created = try await client.send(.post, "/v1/admin/plans", json: team, key: "plan-create-1", token: root)
            #expect(created.status == .created)
            #expect(try ServiceHarness.data(created, as: Plan.self).version == 1)
            try TaskLifecycleTests.expect(try await client.send(.post, "/v1/admin/plans", json: team, key: "plan-create-2", token: root), .conflict, 40901)
            let patch = #"{"active":false,"quotaPerPeriod":20000}"#
            let updated = try ServiceHarness.data(
                try await client.send(.patch, "/v1/admin/plans/team_month", json: patch, token: root, headers: ["If-Match": "\"1\""]), as: Plan.self)
            #expect(!updated.active && updated.quotaPerPeriod == 20000 && updated.version == 2)
            try TaskLifecycleTests.expect(
                try await client.send(.patch, "/v1/admin/plans/team_month", json: patch, token: root, headers: ["If-Match": "\"1\""]), .conflict, 40901)
            try TaskLifecycleTests.expect(
                try await client.send(.patch, "/v1/admin/plans/nope_plan", json: patch, token: root, headers: ["If-Match": "\"1\""]), .notFound, 40401)
            // The admin list includes the inactive plan; the public one does not.
            var codes: [String] = []
            var cursor: String?
            repeat {
                let page = try ServiceHarness.data(
                    try await client.send(.get, "/v1/admin/plans?limit=2" + (cursor.map { "&cursor=\($0)" } ?? ""), token: root), as: PlanPage.self)
                codes += page.items.map(\.code)
                cursor = page.nextCursor
            } while cursor != nil
            #expect(codes.contains("team_month") && codes.count == 4)
            let public_ = try ServiceHarness.data(try await client.send(.get, "/v1/plans"), as: PlanPage.self)
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
