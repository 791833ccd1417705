import ContractRuntime
import Foundation
import HTTPTypes
import HummingbirdTesting
import InpaintCore
import Logging
import NIOCore
import PostgresNIO
import PostgresSupport
import ServiceLifecycle
import Synchronization
import Testing
// The server's types only for the mask the service rasterizes (both modules name TaskModel, MaskInput, …:
// those are written in full here).
import WatermarkAPI
import WatermarkClient
import WatermarkDatabase
@testable import WatermarkService

/// The task workers over real PostgreSQL and storage: a task runs from QUEUED to a downloadable
/// clean result; unreadable input fails for good with a dead letter; passing failures are retried
/// with backoff; an expired lease is recovered; a cancel stops the work; two workers share a queue
/// without ever taking the same task.
@Suite(.serialized) struct TaskWorkerTests {
    /// A 96×72 gradient with an opaque white 20×12 "logo" at (60, 50), and a mask polygon one pixel
    /// around it in canvas units (1920×1080 over 96×72: 20 canvas units per pixel horizontally, 15 vertically).
    static let marked: [UInt8] = {
        var image = PixelImage(width: 96, height: 72, channels: 3, fill: 0)
        for y in 0..<72 {
            for x in 0..<96 {
                let i = (y * 96 + x) * 3
                image.pixels[i] = UInt8(40 + x)
                image.pixels[i + 1] = UInt8(60 + y)
                image.pixels[i + 2] = UInt8(90 + (x + y) / 2)
            }
        }
        for y in 50..<62 { for x in 60..<80 { for c in 0..<3 { image.pixels[(y * 96 + x) * 3 + c] = 255 } } }
        return try! PNGCodec.encode(image)
    }()
    static let logoBox = WatermarkClient.MaskInput(polygons: [WatermarkClient.MaskPolygon(points: [
        .init(x: 1180, y: 735), .init(x: 1620, y: 735), .init(x: 1620, y: 945), .init(x: 1180, y: 945),
    ])])

    /// A new user (from device `laptop-1`), the generated client signed in as them.
    static func newUser(_ client: some TestClientProtocol) async throws -> ServiceUser {
        try await ServiceUser.register(client, email: "w\(UUID().uuidString.prefix(8))@example.com", displayName: "W")
    }

    /// A new user's access token.
    static func user(_ client: some TestClientProtocol) async throws -> String {
        try await newUser(client).token
    }

    /// A task with `mask` on an uploaded `bytes` PNG of `user`.
    static func task(
        of user: ServiceUser, bytes: [UInt8] = marked, mask: WatermarkClient.MaskInput = logoBox
    ) async throws -> WatermarkClient.TaskModel {
        try await user.task(asset: try await user.uploadedAsset(bytes), mask: mask)
    }

    /// Polls the task through `api` until it is in one of `statuses` (or fails the test after `timeout`).
    static func wait(
        _ api: APIClient, for task: UUID, until statuses: Set<WatermarkClient.TaskStatus>, timeout: Duration = .seconds(60),
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> WatermarkClient.TaskModel {
        let deadline = ContinuousClock.now + timeout
        while true {
            let current = try await api.getTask(taskId: task).body
            if statuses.contains(current.status) { return current }
            if ContinuousClock.now > deadline {
                Issue.record("task stayed \(current.status.rawValue)", sourceLocation: sourceLocation)
                return current
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Runs `services` (workers, dispatchers, senders) while `body` runs, then stops them.
    static func running(_ services: [any Service], _ body: () async throws -> Void) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for service in services { group.addTask { try await service.run() } }
            try await body()
            group.cancelAll()
        }
    }

    static func worker(
        _ harness: ServiceHarness, owner: String = "worker-\(UUID().uuidString.prefix(6))", concurrency: Int = 1, lease: Double = 30,
        retry: RetryPolicy = RetryPolicy(baseDelay: 0.05),
        inpaint: (@Sendable (PixelImage, Mask, Inpaint.Mode, OperationContext) throws -> PixelImage)? = nil
    ) -> TaskWorker {
        var settings = WorkerSettings(concurrency: concurrency, leaseSeconds: lease, pollInterval: .milliseconds(20), retry: retry)
        settings.owner = owner
        let metrics = ServiceMetrics()
        var processor = TaskProcessor(
            steps: harness.pipeline, maxSourceBytes: Int(harness.configuration.maxUploadBytes), maxPixels: Int(harness.configuration.maxPixels),
            metrics: metrics)
        if let inpaint { processor.inpaint = inpaint }
        return TaskWorker(steps: harness.pipeline, processor: processor, settings: settings, metrics: metrics, logger: Logger(label: "worker"))
    }

    /// The statuses of a task's events, in order.
    static func events(_ harness: ServiceHarness, _ task: UUID) async throws -> [String] {
        let rows = try await harness.admin.query("SELECT status::text FROM task_events WHERE task_id = \(task) ORDER BY sequence")
        return try await rows.decode(String.self).reduce(into: []) { $0.append($1) }
    }

    /// The usage-ledger entries of a task as `SOURCE:STATUS`, sorted.
    static func ledger(_ harness: ServiceHarness, _ task: UUID) async throws -> [String] {
        let rows = try await harness.admin.query("SELECT source || ':' || status FROM usage_ledger WHERE task_id = \(task) ORDER BY 1")
        return try await rows.decode(String.self).reduce(into: []) { $0.append($1) }
    }

    @Test func aTaskRunsToSucceededAndItsResultIsTheInputWithTheMaskFilled() async throws {
        try await ServiceHarness.with { app, harness in
            try await app.test(.router) { client in
                let ada = try await Self.newUser(client)
                let task = try await Self.task(of: ada)
                #expect(task.status == .queued)
                var done: WatermarkClient.TaskModel?
                try await Self.running([Self.worker(harness)]) {
                    done = try await Self.wait(ada.api, for: task.id, until: [.succeeded, .failed])
                }
                #expect(done?.status == .succeeded && done?.progress == 100 && done?.attempt == 1)
                #expect(try await Self.events(harness, task.id) == ["UPLOADED", "QUEUED", "PREPROCESSING", "DETECTING", "INPAINTING", "PACKAGING", "SUCCEEDED"])
                #expect(try await Self.ledger(harness, task.id) == ["create:COMMITTED", "create:HELD"])

                let result = try await ada.api.getTaskResult(taskId: task.id).body
                #expect(result.contentType == .imagePng)
                let download = try await client.execute(uri: UploadFixtures.pathAndQuery(result.resultUrl), method: .get)
                #expect(download.status == .ok)
                let output = try ImageCodec.decode(Array(download.body.readableBytesView))
                let input = try ImageCodec.decode(Self.marked)
                let mask = TaskProcessor.shapes(of: WatermarkAPI.TaskMask(
                    taskId: task.id, version: 1, polygons: [WatermarkAPI.MaskPolygon(points: [
                        WatermarkAPI.Point(x: 1180, y: 735), WatermarkAPI.Point(x: 1620, y: 735), WatermarkAPI.Point(x: 1620, y: 945),
                        WatermarkAPI.Point(x: 1180, y: 945),
                    ])], strokes: [], timeRanges: [], updatedAt: Date())).rasterize(width: 96, height: 72)
                #expect(mask.count == 22 * 14)  // the logo and a pixel around it
                var outsideChanged = 0, insideError = 0
                for p in 0..<(96 * 72) {
                    for c in 0..<3 {
                        let a = Int(input.pixels[p * 3 + c]), b = Int(output.pixels[p * 3 + c])
                        if mask.values[p] == 0 { outsideChanged += a == b ? 0 : 1 } else { insideError = max(insideError, abs(b - (c == 0 ? 40 + p % 96 : c == 1 ? 60 + p / 96 : 90 + (p % 96 + p / 96) / 2))) }
                    }
                }
                // Outside the mask the result is the input; inside, the white logo is gone (the
                // gradient is filled back to within a few grey levels).
                #expect(outsideChanged == 0)
                #expect(insideError < 12, "largest error inside the mask: \(insideError)")
                let published = try await harness.admin.query("SELECT event_type FROM outbox_events WHERE aggregate_id = \(task.id) ORDER BY created_at")
                let types = try await published.decode(String.self).reduce(into: [String]()) { $0.append($1) }
                #expect(types.last == "task.succeeded")
            }
        }
    }

    @Test func anUnreadableUploadFailsAtOnceWithADeadLetter() async throws {
        try await ServiceHarness.with { app, harness in
            try await app.test(.router) { client in
                let ada = try await Self.newUser(client)
                let task = try await Self.task(of: ada)
                // The stored file is damaged after the upload was checked (a truncated copy).
                let key = try await harness.admin.query("SELECT storage_key FROM assets WHERE id = (SELECT asset_id FROM tasks WHERE id = \(task.id))")
                for try await storageKey in key.decode(String.self) {
                    try await harness.storage.write(storageKey, Array(Self.marked.prefix(200)), contentType: "image/png")
                }
                var failed: WatermarkClient.TaskModel?
                try await Self.running([Self.worker(harness)]) {
                    failed = try await Self.wait(ada.api, for: task.id, until: [.succeeded, .failed])
                }
                #expect(failed?.status == .failed && failed?.errorCode == 42203 && failed?.attempt == 1)
                #expect(try await Self.ledger(harness, task.id) == ["create:HELD", "create:RELEASED"])
                let letters = try await harness.admin.query("SELECT source, error_code, context->>'stage' FROM dead_letters WHERE task_id = \(task.id)")
                var found: [(String, Int32, String)] = []
                for try await row in letters.decode((String, Int32, String).self) { found.append(row) }
                #expect(found.count == 1 && found.first?.0 == "TASK" && found.first?.1 == 42203 && found.first?.2 == "PREPROCESSING")

                // The failed task can be deleted; its dead letter stays for operators, naming the task as
                // plain data, and can no longer be replayed.
                #expect(try await ada.api.deleteTask(taskId: task.id) == .noContent)
                await expectFailure(40401, status: 404) { try await ada.api.getTask(taskId: task.id) }
                let kept = try await harness.admin.query("""
                    SELECT task_id IS NULL, replayable, context->>'deletedTaskId' FROM dead_letters WHERE context->>'deletedTaskId' = \(task.id.uuidString.lowercased())
                    """)
                var keptRows: [(Bool, Bool, String)] = []
                for try await row in kept.decode((Bool, Bool, String).self) { keptRows.append(row) }
                #expect(keptRows.count == 1 && keptRows.first?.0 == true && keptRows.first?.1 == false, "\(keptRows)")
            }
        }
    }

    @Test func aTaskIsDeletedFromQueuedAndFromCanceled() async throws {
        try await ServiceHarness.with { app, harness in
            try await app.test(.router) { client in
                let ada = try await Self.newUser(client)
                let queued = try await Self.task(of: ada)
                #expect(try await ada.api.deleteTask(taskId: queued.id) == .noContent)
                #expect(try await Self.ledger(harness, queued.id) == ["create:HELD", "create:RELEASED"], "the hold was released")
                let canceled = try await Self.task(of: ada)
                _ = try await ada.api.cancelTask(taskId: canceled.id, idempotencyKey: "cancel-\(UUID())")
                #expect(try await ada.api.deleteTask(taskId: canceled.id) == .noContent)
                await expectFailure(40401, status: 404) { try await ada.api.getTask(taskId: canceled.id) }
            }
        }
    }

    @Test func anAssetIsDeletedWithItsFileAndEveryTaskMadeFromIt() async throws {
        try await ServiceHarness.with { app, harness in
            try await app.test(.router) { client in
                let ada = try await Self.newUser(client)
                let done = try await Self.task(of: ada)
                try await Self.running([Self.worker(harness)]) {
                    _ = try await Self.wait(ada.api, for: done.id, until: [.succeeded])
                }
                let waiting = try await ada.task(asset: done.assetId, mask: Self.logoBox)
                let keys = try await harness.admin.query(
                    "SELECT a.storage_key, t.result_key FROM assets a JOIN tasks t ON t.asset_id = a.id WHERE t.id = \(done.id)")
                var files: [String] = []
                for try await (source, result) in keys.decode((String, String).self) { files = [source, result] }
                for key in files { #expect(try await harness.storage.read(key, maxBytes: 1 << 24) != nil, "\(key) is stored") }

                // Someone else's asset is nobody's to delete.
                let stranger = try await Self.newUser(client)
                await expectFailure(40401, status: 404) { try await stranger.api.deleteAsset(assetId: done.assetId) }

                #expect(try await ada.api.deleteAsset(assetId: done.assetId) == .noContent)
                await expectFailure(40401, status: 404) { try await ada.api.getAsset(assetId: done.assetId) }
                for task in [done, waiting] {
                    await expectFailure(40401, status: 404) { try await ada.api.getTask(taskId: task.id) }
                }
                for key in files { #expect(try await harness.storage.read(key, maxBytes: 1 << 24) == nil, "\(key) was removed") }
                #expect(try await Self.ledger(harness, waiting.id) == ["create:HELD", "create:RELEASED"], "the waiting task's hold was released")
                let doneLedger = try await Self.ledger(harness, done.id)
                #expect(doneLedger.sorted() == ["create:COMMITTED", "create:HELD"], "the finished task stays counted: \(doneLedger)")
                let audit = try await harness.admin.query(
                    "SELECT (detail->'tasks')::text FROM audit_logs WHERE action = 'asset.deleted' AND target_id = \(done.assetId.uuidString.lowercased())")
                var audited: [String] = []
                for try await tasks in audit.decode(String.self) { audited.append(tasks) }
                #expect(audited.count == 1 && "\(audited)".contains(waiting.id.uuidString.lowercased()) && "\(audited)".contains("QUEUED"), "\(audited)")

                // Deleting again, or making a task from it, finds nothing.
                await expectFailure(40401, status: 404) { try await ada.api.deleteAsset(assetId: done.assetId) }
                await expectFailure(40401, status: 404) { try await ada.task(asset: done.assetId) }
            }
        }
    }

    /// An asset deleted before its bytes arrived (Schemathesis found this a 500): gone, and its
    /// upload URL no longer takes the bytes.
    @Test func anAssetIsDeletedBeforeItsUpload() async throws {
        try await ServiceHarness.with { app, _ in
            try await app.test(.router) { client in
                let ada = try await Self.newUser(client)
                let policy = try await ada.uploadPolicy(for: Self.marked)
                #expect(try await ada.api.deleteAsset(assetId: policy.assetId) == .noContent)
                await expectFailure(40401, status: 404) { try await ada.api.getAsset(assetId: policy.assetId) }
                // The signed upload link itself (raw: its answer is the point).
                let upload = try await client.execute(
                    uri: UploadFixtures.pathAndQuery(policy.uploadUrl), method: .put, headers: [.contentType: policy.headers["Content-Type"] ?? ""],
                    body: ByteBuffer(bytes: Self.marked))
                try TaskLifecycleTests.expect(upload, .notFound, 40401)
                await expectFailure(40401, status: 404) { try await ada.api.deleteAsset(assetId: policy.assetId) }
            }
        }
    }

    @Test func aPassingFailureIsRetriedWithBackoffAndThenFailsForGood() async throws {
        try await ServiceHarness.with { app, harness in
            try await app.test(.router) { client in
                let ada = try await Self.newUser(client)
                let task = try await Self.task(of: ada)
                let worker = Self.worker(harness, retry: RetryPolicy(maxRetries: 2, baseDelay: 0.2, jitter: 0.2)) { _, _, _, _ in
                    throw InpaintError.io("disk went away")
                }
                var failed: WatermarkClient.TaskModel?
                try await Self.running([worker]) {
                    failed = try await Self.wait(ada.api, for: task.id, until: [.succeeded, .failed])
                }
                #expect(failed?.status == .failed && failed?.errorCode == 50001 && failed?.attempt == 3)
                let events = try await Self.events(harness, task.id)
                #expect(events.filter { $0 == "PREPROCESSING" }.count == 3)
                #expect(events.filter { $0 == "QUEUED" }.count == 3, "created, then two retries: \(events)")
                // Each entry into QUEUED is announced to webhooks (created with a mask, each retry).
                let announced = try await harness.admin.query(
                    "SELECT event_type FROM outbox_events WHERE aggregate_id = \(task.id) ORDER BY created_at, event_type")
                let types = try await announced.decode(String.self).reduce(into: [String]()) { $0.append($1) }
                #expect(types.filter { $0 == "task.queued" }.count == 3, "\(types)")
                #expect(types.first == "task.created" && types.last == "task.failed", "\(types)")
                // The retries waited 0.2 s · 2⁰ and 0.2 s · 2¹, each ±20 %: at least 0.48 s from first claim to failure.
                let span = try await harness.admin.query("""
                    SELECT extract(epoch FROM max(created_at) - min(created_at))::float8 FROM task_events
                    WHERE task_id = \(task.id) AND status IN ('PREPROCESSING', 'FAILED')
                    """)
                for try await seconds in span.decode(Double.self) { #expect(seconds >= 0.48, "first claim to failure: \(seconds) s") }
                let retries = try await harness.admin.query("SELECT retries FROM tasks WHERE id = \(task.id)")
                for try await count in retries.decode(Int32.self) { #expect(count == 2) }
                #expect(try await Self.ledger(harness, task.id) == ["create:HELD", "create:RELEASED"])
                let letters = try await harness.admin.query("SELECT count(*) FROM dead_letters WHERE task_id = \(task.id) AND error_code = 50001")
                for try await count in letters.decode(Int64.self) { #expect(count == 1) }
            }
        }
    }

    @Test func aTaskWhoseWorkerStoppedIsRecoveredAfterItsLeaseAndCompletesOnce() async throws {
        try await ServiceHarness.with { app, harness in
            try await app.test(.router) { client in
                let ada = try await Self.newUser(client)
                let task = try await Self.task(of: ada)
                // A worker claims it and is never heard of again.
                let claimed = try await harness.pipeline.claim(owner: "gone", limit: 1, lease: 0.5)
                #expect(claimed.map(\.id) == [task.id])
                // It had stored its result but never recorded it: recovery removes the orphan.
                let orphan = TaskPipelineSteps.resultKey(of: task.id, attempt: 1, fileExtension: "png")
                try await harness.storage.write(orphan, [1, 2, 3], contentType: "image/png")
                var done: WatermarkClient.TaskModel?
                // The live worker's own lease is long enough that a loaded machine does not lose it.
                try await Self.running([Self.worker(harness, lease: 3)]) {
                    done = try await Self.wait(ada.api, for: task.id, until: [.succeeded, .failed])
                }
                #expect(done?.status == .succeeded && done?.attempt == 2)
                let events = try await Self.events(harness, task.id)
                #expect(events.filter { $0 == "SUCCEEDED" }.count == 1 && events.filter { $0 == "PREPROCESSING" }.count == 2, "\(events)")
                #expect(try await Self.ledger(harness, task.id) == ["create:COMMITTED", "create:HELD"])
                #expect(try await harness.storage.read(orphan, maxBytes: 1 << 20) == nil)
                let result = TaskPipelineSteps.resultKey(of: task.id, attempt: 2, fileExtension: "png")
                #expect(try await harness.storage.read(result, maxBytes: 1 << 24) != nil)

                // Within the reminder lead of its expiry the result is announced to webhooks, once.
                try await harness.admin.query("UPDATE tasks SET result_expire_at = now() + interval '10 minutes' WHERE id = \(task.id)")
                let reminder = ExpiredDataSweeper(database: harness.database, storage: harness.storage, reminderLead: 3_600)
                #expect(try await reminder.remindExpiringResults() == 1)
                #expect(try await reminder.remindExpiringResults() == 0, "each result is announced once")
                let announced = try await harness.admin.query("""
                    SELECT payload->>'taskId', payload->>'resultExpireAt' IS NOT NULL FROM outbox_events
                    WHERE aggregate_id = \(task.id) AND event_type = 'task.result_expiring'
                    """)
                var reminders: [(String, Bool)] = []
                for try await row in announced.decode((String, Bool).self) { reminders.append(row) }
                #expect(reminders.count == 1 && reminders.first?.0 == task.id.uuidString.lowercased() && reminders.first?.1 == true, "\(reminders)")

                // Past its expiry the result's file is removed, once; the task says so.
                try await harness.admin.query("UPDATE tasks SET result_expire_at = now() - interval '1 second' WHERE id = \(task.id)")
                // Five expired idempotency keys, deleted two per statement, and one still in its window.
                for (key, days) in [("expired-key-1", -1), ("expired-key-2", -2), ("expired-key-3", -3), ("expired-key-4", -4), ("expired-key-5", -5), ("live-key-1", 1)] {
                    try await harness.admin.query("""
                        INSERT INTO idempotency_keys (idempotency_key, operation_id, request_hash, created_at, expires_at)
                        VALUES (\(key), 'test', decode(repeat('00', 32), 'hex'), now() - interval '6 days', now() + \(days) * interval '1 day')
                        """)
                }
                var sweeper = ExpiredDataSweeper(database: harness.database, storage: harness.storage)
                sweeper.keyBatch = 2
                let swept = try await sweeper.sweep()
                #expect(swept.results == 1 && swept.idempotencyKeys >= 5)
                let left = try await harness.admin.query("SELECT idempotency_key FROM idempotency_keys WHERE operation_id = 'test'")
                var names: [String] = []
                for try await (name) in left.decode(String.self) { names.append(name) }
                #expect(names == ["live-key-1"])
                #expect(try await harness.storage.read(result, maxBytes: 1 << 24) == nil)
                let again = try await sweeper.sweep()
                #expect(again.results == 0 && again.idempotencyKeys == 0)
                let gone = await expectFailure(40401, status: 404) { try await ada.api.getTaskResult(taskId: task.id) }
                #expect(gone?.message.contains("expired") == true, "\(String(describing: gone))")
            }
        }
    }

    @Test func cancelingARunningTaskStopsItsWorker() async throws {
        try await ServiceHarness.with { app, harness in
            try await app.test(.router) { client in
                let ada = try await Self.newUser(client)
                let task = try await Self.task(of: ada)
                let stopped = Flag()
                let worker = Self.worker(harness, lease: 1.5) { _, _, _, context in
                    while !context.isCancelled { usleep(10_000) }
                    stopped.set()
                    throw InpaintError.cancelled
                }
                try await Self.running([worker]) {
                    _ = try await Self.wait(ada.api, for: task.id, until: [.inpainting])
                    let canceled = try await ada.api.cancelTask(taskId: task.id, idempotencyKey: "cancel-\(UUID())").body
                    #expect(canceled.status == .canceled)
                    let deadline = ContinuousClock.now + .seconds(10)
                    while !stopped.isSet, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
                }
                #expect(stopped.isSet, "the inpainting was not told to stop")
                let final = try await ada.api.getTask(taskId: task.id).body
                #expect(final.status == .canceled)
                #expect(try await Self.ledger(harness, task.id) == ["create:HELD", "create:RELEASED"])
                let results = try await harness.admin.query("SELECT count(*) FROM tasks WHERE id = \(task.id) AND result_key IS NOT NULL")
                for try await count in results.decode(Int64.self) { #expect(count == 0) }
            }
        }
    }

    @Test func twoWorkersNeverProcessTheSameTask() async throws {
        try await ServiceHarness.with({ $0.creationsPerMinute = 100_000 }) { app, harness in
            try await app.test(.router) { client in
                try await harness.admin.query("UPDATE plans SET quota_per_period = 100000")
                let ada = try await Self.newUser(client)
                let first = try await Self.task(of: ada)
                var ids = [first.id]
                for _ in 1..<200 {
                    ids.append(try await ada.task(asset: first.assetId, mask: Self.logoBox).id)
                }
                let noOp: @Sendable (PixelImage, Mask, Inpaint.Mode, OperationContext) throws -> PixelImage = { image, _, _, _ in image }
                let workers = [Self.worker(harness, owner: "a", concurrency: 2, inpaint: noOp), Self.worker(harness, owner: "b", concurrency: 2, inpaint: noOp)]
                try await Self.running(workers) {
                    let deadline = ContinuousClock.now + .seconds(120)
                    while ContinuousClock.now < deadline {
                        let left = try await harness.admin.query("SELECT count(*) FROM tasks WHERE status <> 'SUCCEEDED'")
                        var remaining: Int64 = -1
                        for try await count in left.decode(Int64.self) { remaining = count }
                        if remaining == 0 { break }
                        try await Task.sleep(for: .milliseconds(100))
                    }
                }
                let claims = try await harness.admin.query("""
                    SELECT count(*) FILTER (WHERE status = 'PREPROCESSING'), count(*) FILTER (WHERE status = 'SUCCEEDED'),
                           count(DISTINCT task_id) FROM task_events
                    """)
                for try await (preprocessing, succeeded, tasks) in claims.decode((Int64, Int64, Int64).self) {
                    #expect(tasks == Int64(ids.count) && preprocessing == Int64(ids.count) && succeeded == Int64(ids.count))
                }
                let committed = try await harness.admin.query("SELECT count(*), count(DISTINCT task_id) FROM usage_ledger WHERE status = 'COMMITTED'")
                for try await (entries, tasks) in committed.decode((Int64, Int64).self) { #expect(entries == Int64(ids.count) && tasks == Int64(ids.count)) }
            }
        }
    }
}

/// A flag set from a compute thread and read from a test.
final class Flag: Sendable {
    private let value = Mutex(false)
    func set() { value.withLock { $0 = true } }
    var isSet: Bool { value.withLock { $0 } }
}
