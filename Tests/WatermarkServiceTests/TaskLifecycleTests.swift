import ContractClient
import ContractRuntime
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import PostgresNIO
import Testing
import WatermarkClient
import WatermarkDatabase
@testable import WatermarkService

/// Tasks end to end through the generated router over real PostgreSQL: upload → create → mask →
/// the worker's steps → result → download → delete, with quota, idempotency and concurrency.
/// A user calls the service with the generated client (`ServiceUser`); requests the client would not
/// send (they break the contract), signed links and the events stream's text stay raw HTTP.
@Suite("watermark serve: task lifecycle")
struct TaskLifecycleTests {
    /// `MaskInput.cornerBox` as JSON, for raw requests.
    static let mask = #"{"polygons":[{"points":[{"x":1320,"y":810},{"x":1800,"y":810},{"x":1800,"y":990},{"x":1320,"y":990}]}]}"#

    /// A raw `POST /v1/tasks` for an IMAGE task on `asset`, with `extra` JSON members appended.
    static func create(_ client: some TestClientProtocol, _ token: String, asset: UUID, extra: String = "", key: String = "create-\(UUID())") async throws -> TestResponse {
        try await client.send(.post, "/v1/tasks", json: #"{"assetId":"\#(asset)","mediaType":"IMAGE"\#(extra)}"#, key: key, token: token)
    }

    /// A raw error answer: its HTTP status and catalog code.
    static func expect(_ response: TestResponse, _ status: HTTPResponse.Status, _ code: Int64, sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(response.status == status, sourceLocation: sourceLocation)
        #expect(try ServiceHarness.code(response) == code, sourceLocation: sourceLocation)
    }

    @Test func anImageGoesFromUploadToADownloadedResultAndIsDeleted() async throws {
        try await ServiceHarness.with { app, harness in
            try await app.test(.router) { client in
                let ada = try await ServiceUser.register(client)
                let asset = try await ada.uploadedAsset()

                // Created without a mask it waits in UPLOADED; the first mask queues it.
                var task = try await ada.task(asset: asset)
                #expect(task.status == .uploaded && task.version == 1 && task.maskVersion == 0 && task.mode == .fast)
                await expectFailure(42202, status: 422) { try await ada.api.getTaskResult(taskId: task.id) }
                let mask = try await ada.api.upsertTaskMask(taskId: task.id, idempotencyKey: "mask-\(UUID())", ifMatch: #""0""#, body: .cornerBox).body
                #expect(mask.version == 1 && mask.polygons.first?.points.count == 4 && mask.strokes.isEmpty)
                task = try await ada.api.getTask(taskId: task.id).body
                #expect(task.status == .queued && task.maskVersion == 1 && task.version == 2)
                #expect(try await ada.api.getMyUsage().body.held == 1)

                // The worker's steps.
                let pipeline = harness.pipeline
                let claimed = try await pipeline.claim(owner: "test-worker", limit: 5, lease: 30)
                #expect(claimed.map(\.id) == [task.id] && claimed.first?.status == .preprocessing && claimed.first?.attempt == 1)
                var row = try #require(claimed.first)
                row = try await pipeline.advance(row, to: .detecting, progress: 20)
                row = try await pipeline.advance(row, to: .inpainting, progress: 40)
                row = try await pipeline.advance(row, to: .inpainting, progress: 80)
                await #expect(throws: TaskStateMachine.Refusal.progressWentDown(from: 80, to: 50)) {
                    _ = try await pipeline.advance(row, to: .inpainting, progress: 50)
                }
                row = try await pipeline.advance(row, to: .packaging, progress: 90)
                let result = UploadFixtures.jpeg
                row = try await pipeline.succeed(row, result: result, contentType: "image/jpeg", fileExtension: "jpg")
                #expect(row.status == .succeeded && row.progress == 100 && row.leaseOwner == nil)

                let usage = try await ada.api.getMyUsage().body
                #expect(usage.used == 1 && usage.held == 0 && usage.remaining == usage.quota - 1)

                // The result link downloads the file; an expired or altered link does not (raw: the
                // signed link's answer and headers are the point).
                let link = try await ada.api.getTaskResult(taskId: task.id).body
                #expect(link.contentType == .imageJpeg && link.sizeBytes == Int64(result.count) && link.expireAt > Date())
                let download = try await client.execute(uri: UploadFixtures.pathAndQuery(link.resultUrl), method: .get)
                #expect(download.status == .ok && download.headers[.contentType] == "image/jpeg" && Array(download.body.readableBytesView) == result)
                let stale = harness.auth.urlSigner.url(base: "", method: "GET", path: "/v1/storage/results/\(task.id.uuidString.lowercased())", expires: Date().addingTimeInterval(-1))
                try Self.expect(try await client.execute(uri: stale, method: .get), .unauthorized, 40102)

                // The events stream replays every change, in order, and ends at SUCCEEDED; Last-Event-ID resumes
                // (raw: the stream's text — ids, `event:` lines — is checked).
                let stream = try await client.send(.get, "/v1/tasks/\(task.id)/events", token: ada.token)
                #expect(stream.status == .ok && stream.headers[.contentType]?.hasPrefix("text/event-stream") == true)
                let text = String(buffer: stream.body)
                let ids = text.split(separator: "\n").filter { $0.hasPrefix("id: ") }.map { Int($0.dropFirst(4))! }
                #expect(ids == Array(1...8))
                #expect(text.contains(#""status":"QUEUED""#) && text.hasSuffix(#""status":"SUCCEEDED","progress":100,"at":"# + text.split(separator: "\"at\":").last!))
                let resumed = String(buffer: try await client.send(.get, "/v1/tasks/\(task.id)/events", token: ada.token, headers: ["Last-Event-ID": "7"]).body)
                #expect(resumed.hasPrefix("id: 8\nevent: task\ndata: {") && resumed.contains("SUCCEEDED"))
                // Nothing after the last event of a finished task: the stream ends at once, empty.
                let after = try await client.send(.get, "/v1/tasks/\(task.id)/events", token: ada.token, headers: ["Last-Event-ID": "8"])
                #expect(after.status == .ok && after.body.readableBytes == 0)

                // Delete: the task, its mask, events and files go; an audit record stays.
                _ = try await ada.api.deleteTask(taskId: task.id)
                await expectFailure(40401, status: 404) { try await ada.api.getTask(taskId: task.id) }
                await expectFailure(40401, status: 404) { try await ada.api.deleteTask(taskId: task.id) }
                try Self.expect(try await client.execute(uri: UploadFixtures.pathAndQuery(link.resultUrl), method: .get), .notFound, 40401)
                await expectFailure(40401, status: 404) { try await ada.api.getAsset(assetId: asset) }
                #expect(try await harness.storage.read(try #require(row.resultKey), maxBytes: 1 << 20) == nil)
                #expect(try await harness.storage.read("assets/\(asset.uuidString.lowercased())", maxBytes: 1 << 20) == nil)
                let counts = try await harness.admin.query("""
                    SELECT (SELECT count(*) FROM task_masks) + (SELECT count(*) FROM task_events),
                           (SELECT count(*) FROM audit_logs WHERE action = 'task.deleted' AND target_id = \(task.id.uuidString.lowercased()))
                    """)
                for try await (leftovers, audits) in counts.decode((Int64, Int64).self) {
                    #expect(leftovers == 0 && audits == 1)
                }
                // Deleting a finished task does not give its quota back.
                #expect(try await ada.api.getMyUsage().body.used == 1)
            }
        }
    }

    @Test func creatingChecksTheRequestTheAssetAndThePlan() async throws {
        try await ServiceHarness.with { app, _ in
            try await app.test(.router) { client in
                let ada = try await ServiceUser.register(client)
                let asset = try await ada.uploadedAsset()
                // A mask with autoDetect: true breaks the contract (raw: the client would not send it).
                let both = try await Self.create(client, ada.token, asset: asset, extra: #","autoDetect":true,"mask":\#(Self.mask)"#)
                try Self.expect(both, .badRequest, 40001)
                #expect(String(buffer: both.body).contains("cannot have mask and autoDetect: true"))
                // The asset is an image: a VIDEO task on it, or a mask by time ranges, is refused by rule (422).
                await expectFailure(42201, status: 422) {
                    try await ada.api.createTask(idempotencyKey: "video-1234", body: CreateTaskRequest(assetId: asset, mediaType: .video))
                }
                let timeRanges = MaskInput(timeRanges: [MaskTimeRange(startMs: 0, endMs: 1000, polygons: [
                    MaskPolygon(points: [.init(x: 10, y: 10), .init(x: 300, y: 10), .init(x: 300, y: 200)]),
                ])])
                let ranges = await expectFailure(42207, status: 422) { try await ada.task(asset: asset, mask: timeRanges) }
                #expect(ranges?.details.contains { $0.field.hasPrefix("/body/mask/timeRanges") } == true, "\(String(describing: ranges))")
                await expectFailure(40401, status: 404) { try await ada.task(asset: UUID()) }
                await expectFailure(42201, status: 422) { try await ada.task(asset: asset, mode: .quality) }
                // Empty shape lists break the contract (raw: the client would not send them).
                let empty = try await Self.create(client, ada.token, asset: asset, extra: #","mask":{"polygons":[],"strokes":[]}"#)
                try Self.expect(empty, .badRequest, 40001)
                let line = MaskInput(polygons: [MaskPolygon(points: [.init(x: 1, y: 1), .init(x: 2, y: 2), .init(x: 3, y: 3)])])
                let flat = await expectFailure(42205, status: 422) { try await ada.task(asset: asset, mask: line) }
                #expect(flat?.details.contains { $0.field.hasPrefix("/body/mask/polygons/0/points") } == true, "\(String(describing: flat))")
                // A bow-tie (two triangles meeting at a point) has zero signed area but fills pixels: accepted (created).
                let bowTie = MaskInput(polygons: [MaskPolygon(points: [.init(x: 100, y: 100), .init(x: 300, y: 300), .init(x: 300, y: 100), .init(x: 100, y: 300)])])
                _ = try await ada.task(asset: asset, mask: bowTie)
                let pending = try await ada.uploadPolicy(for: UploadFixtures.png)
                await expectFailure(42201, status: 422) { try await ada.task(asset: pending.assetId) }
                // Auto-detection queues at once.
                let auto = try await ada.task(asset: asset, autoDetect: true)
                #expect(auto.status == .queued && auto.autoDetect && auto.maskVersion == 0)
            }
        }
    }

    @Test func fiftyConcurrentDuplicatesCreateOneTask() async throws {
        try await ServiceHarness.with { app, harness in
            try await app.test(.router) { client in
                let ada = try await ServiceUser.register(client)
                let asset = try await ada.uploadedAsset()
                let ids = try await withThrowingTaskGroup(of: UUID.self) { group in
                    for _ in 0..<50 {
                        group.addTask { try await ada.task(asset: asset, autoDetect: true, key: "same-key-for-all").id }
                    }
                    return try await group.reduce(into: Set<UUID>()) { $0.insert($1) }
                }
                #expect(ids.count == 1)
                for try await count in try await harness.admin.query("SELECT count(*) FROM tasks").decode(Int64.self) { #expect(count == 1) }
                for try await count in try await harness.admin.query("SELECT count(*) FROM outbox_events WHERE event_type = 'task.created'").decode(Int64.self) { #expect(count == 1) }
                #expect(try await ada.api.getMyUsage().body.held == 1)
                // The same key with another request is a conflict.
                await expectFailure(40901, status: 409) { try await ada.task(asset: asset, key: "same-key-for-all") }
            }
        }
    }

    @Test func quotaIsHeldCommittedAndReleased() async throws {
        try await ServiceHarness.with { app, harness in
            try await harness.admin.query("UPDATE plans SET quota_per_period = 3 WHERE code = 'free'")
            try await app.test(.router) { client in
                let ada = try await ServiceUser.register(client)
                let asset = try await ada.uploadedAsset()
                let first = try await ada.task(asset: asset, autoDetect: true)
                // Concurrent creations with different keys never take more than what is left: each is
                // created (nil) or refused with an error answer.
                let refusals = try await withThrowingTaskGroup(of: ErrorAnswer?.self) { group in
                    for _ in 0..<6 {
                        group.addTask {
                            do {
                                _ = try await ada.task(asset: asset, autoDetect: true)
                                return nil
                            } catch let failure as any ContractFailure {
                                return failure.answer
                            }
                        }
                    }
                    return try await group.reduce(into: [ErrorAnswer?]()) { $0.append($1) }
                }
                #expect(refusals.filter { $0 == nil }.count == 2 && refusals.filter { $0?.status == 403 }.count == 4, "\(refusals)")
                await expectFailure(40302, status: 403) { try await ada.task(asset: asset, autoDetect: true) }
                #expect(try await ada.api.getMyUsage().body.remaining == 0)

                // Cancel releases; the same key replays; the key for another action or task conflicts.
                let canceled = try await ada.api.cancelTask(taskId: first.id, idempotencyKey: "cancel-first").body
                #expect(canceled.status == .canceled && canceled.finishedAt != nil)
                let replay = try await ada.api.cancelTask(taskId: first.id, idempotencyKey: "cancel-first").body
                #expect(replay.version == canceled.version && replay.updatedAt == canceled.updatedAt)
                await expectFailure(40901, status: 409) { try await ada.api.retryTask(taskId: first.id, idempotencyKey: "cancel-first") }
                let otherTask = try await harness.admin.query("SELECT id FROM tasks WHERE id <> \(first.id) LIMIT 1")
                for try await other in otherTask.decode(UUID.self) {
                    await expectFailure(40901, status: 409) { try await ada.api.cancelTask(taskId: other, idempotencyKey: "cancel-first") }
                }
                await expectFailure(42201, status: 422) { try await ada.api.cancelTask(taskId: first.id, idempotencyKey: "cancel-again") }
                #expect(try await ada.api.getMyUsage().body.remaining == 1)

                // Retry holds again (and is refused when nothing is left); from a queued task it is 42201.
                let retried = try await ada.api.retryTask(taskId: first.id, idempotencyKey: "retry-first").body
                #expect(retried.status == .queued && retried.progress == 0)
                await expectFailure(42201, status: 422) { try await ada.api.retryTask(taskId: first.id, idempotencyKey: "retry-again") }
                #expect(try await ada.api.getMyUsage().body.remaining == 0)

                // A worker failure releases; success commits — each once.
                let pipeline = harness.pipeline
                let claimed = try await pipeline.claim(owner: "w", limit: 10, lease: 30)
                #expect(claimed.count == 3)
                let failed = try await pipeline.fail(claimed[0], code: 50001, message: "the image could not be processed")
                await #expect(throws: TaskStateMachine.Refusal.illegal(from: .failed, to: .failed, by: .worker)) { _ = try await pipeline.fail(failed, code: 50001, message: "again") }
                var done = try await pipeline.advance(claimed[1], to: .detecting, progress: 10)
                done = try await pipeline.advance(done, to: .inpainting, progress: 50)
                done = try await pipeline.advance(done, to: .packaging, progress: 90)
                done = try await pipeline.succeed(done, result: UploadFixtures.png, contentType: "image/png", fileExtension: "png")
                let usage = try await ada.api.getMyUsage().body
                #expect(usage.used == 1 && usage.held == 1 && usage.remaining == 1)
                // A canceled running task stops its worker: the next step finds the version stale.
                _ = try await ada.api.cancelTask(taskId: claimed[2].id, idempotencyKey: "cancel-running")
                await #expect(throws: TaskStateMachine.Refusal.stale) { _ = try await pipeline.advance(claimed[2], to: .detecting, progress: 10) }
                #expect(try await ada.api.getMyUsage().body.remaining == 2)
                let failedTask = try await ada.api.getTask(taskId: failed.id).body
                #expect(failedTask.status == .failed && failedTask.errorCode == 50001)
                // With nothing left, retrying the failed task is refused and it stays FAILED.
                try await harness.admin.query("UPDATE plans SET quota_per_period = 1 WHERE code = 'free'")
                await expectFailure(40302, status: 403) { try await ada.api.retryTask(taskId: failed.id, idempotencyKey: "retry-failed") }
                #expect(try await ada.api.getTask(taskId: failed.id).body.status == .failed)
            }
        }
    }

    @Test func aCreateAfterThePeriodEndedHoldsItsUnitInTheNextPeriod() async throws {
        try await ServiceHarness.with { app, harness in
            try await harness.admin.query("UPDATE plans SET quota_per_period = 1 WHERE code = 'free'")
            try await app.test(.router) { client in
                let ada = try await ServiceUser.register(client)
                let asset = try await ada.uploadedAsset()
                _ = try await ada.task(asset: asset, autoDetect: true)
                await expectFailure(40302, status: 403) { try await ada.task(asset: asset, autoDetect: true) }
                // The period ends: the next create rolls it forward and its unit counts in the new one.
                try await harness.admin.query("UPDATE subscriptions SET current_period_start = current_period_start - interval '40 days', current_period_end = now() - interval '1 hour'")
                try await harness.admin.query("UPDATE usage_ledger SET period_start = period_start - interval '40 days'")
                let created = try await ada.task(asset: asset, mask: .cornerBox)
                #expect(created.status == .queued && created.maskVersion == 1)
                let periods = try await harness.admin.query("""
                    SELECT count(*), count(DISTINCT l.period_start), bool_and(s.current_period_end > now()), max(l.period_start) = max(s.current_period_start)
                    FROM usage_ledger AS l, subscriptions AS s WHERE s.status = 'ACTIVE'
                    """)
                for try await (holds, distinct, current, newest) in periods.decode((Int64, Int64, Bool, Bool).self) {
                    #expect(holds == 2 && distinct == 2 && current && newest)
                }
                await expectFailure(40302, status: 403) { try await ada.task(asset: asset, autoDetect: true) }
                #expect(try await ada.api.getMyUsage().body.remaining == 0)
            }
        }
    }

    @Test func masksNeedTheCurrentVersionAndAnUploadedTask() async throws {
        try await ServiceHarness.with { app, _ in
            try await app.test(.router) { client in
                let ada = try await ServiceUser.register(client)
                let asset = try await ada.uploadedAsset()
                let task = try await ada.task(asset: asset)
                func save(_ mask: MaskInput, ifMatch: String, key: String = "mask-\(UUID())") async throws -> TaskMask {
                    try await ada.api.upsertTaskMask(taskId: task.id, idempotencyKey: key, ifMatch: ifMatch, body: mask).body
                }
                // Masks that break the contract, which the client would not send, go raw.
                func saveRaw(_ body: String, ifMatch: String) async throws -> TestResponse {
                    try await client.send(.post, "/v1/tasks/\(task.id)/mask", json: body, key: "mask-\(UUID())", token: ada.token, headers: ["If-Match": ifMatch])
                }
                let stroke = BrushStroke(radius: 12, points: [.init(x: 100, y: 100), .init(x: 180, y: 120)])
                await expectFailure(40901, status: 409) { try await save(.cornerBox, ifMatch: #""3""#) }
                try Self.expect(try await saveRaw(#"{"strokes":[]}"#, ifMatch: #""0""#), .badRequest, 40001)
                let point = MaskInput(polygons: [MaskPolygon(points: [.init(x: 5, y: 5), .init(x: 5, y: 5), .init(x: 5, y: 5)])])
                await expectFailure(42205, status: 422) { try await save(point, ifMatch: #""0""#) }
                try Self.expect(try await saveRaw(#"{"strokes":[{"radius":12,"points":[{"x":1921,"y":5}]}]}"#, ifMatch: #""0""#), .badRequest, 40001)
                let ranges = MaskInput(timeRanges: [MaskTimeRange(startMs: 0, strokes: [BrushStroke(radius: 12, points: [.init(x: 100, y: 100)])])])
                await expectFailure(42207, status: 422) { try await save(ranges, ifMatch: #""0""#) }
                // Nothing saved yet: no mask to read back (nor for another user, once there is one).
                await expectFailure(40401, status: 404) { try await ada.api.getTaskMask(taskId: task.id) }
                _ = try await save(MaskInput(strokes: [stroke]), ifMatch: #""0""#, key: "mask-key-1")
                let saved = try await ada.api.getTaskMask(taskId: task.id).body
                #expect(saved.version == 1 && saved.strokes == [stroke] && saved.polygons.isEmpty && saved.taskId == task.id)
                let bob = try await ServiceUser.register(client, email: "bob-mask@example.com")
                await expectFailure(40401, status: 404) { try await bob.api.getTaskMask(taskId: task.id) }
                // Replayed by its key; a second mask on the now queued task is 42201.
                _ = try await save(MaskInput(strokes: [stroke]), ifMatch: #""0""#, key: "mask-key-1")
                await expectFailure(42201, status: 422) { try await save(.cornerBox, ifMatch: #""1""#) }
                let list = try await ada.api.listTasks(status: .queued).body
                #expect(list.items.map(\.id) == [task.id] && list.nextCursor == nil)
            }
        }
    }

    @Test func theMovesAreTheContractsAndEachActorMakesOnlyItsOwn() throws {
        let all = TaskStatusEnum.allCases
        func moves(by actor: TaskStatusEnum.Actor) -> Set<String> {
            Set(all.flatMap { from in all.filter { from.allowsMove(to: $0, by: actor) }.map { "\(from.rawValue)→\($0.rawValue)" } })
        }
        let running = ["PREPROCESSING", "DETECTING", "INPAINTING", "PACKAGING"]
        #expect(moves(by: .user) == Set(["UPLOADED→QUEUED", "UPLOADED→CANCELED", "QUEUED→CANCELED", "FAILED→QUEUED", "CANCELED→QUEUED"] + running.map { "\($0)→CANCELED" }))
        #expect(moves(by: .worker) == Set(
            ["QUEUED→PREPROCESSING", "QUEUED→FAILED", "PREPROCESSING→DETECTING", "DETECTING→INPAINTING", "INPAINTING→PACKAGING", "PACKAGING→SUCCEEDED"]
                + running.flatMap { stage in ["QUEUED", "FAILED", stage].map { "\(stage)→\($0)" } }))
        #expect(moves(by: .admin) == ["FAILED→QUEUED"])
        #expect(TaskStatusEnum.initialStates == [.uploaded, .queued] && TaskStatusEnum.finalStates == [.succeeded])

        // The row's own moves follow: a worker cannot cancel a task nor a user finish one.
        let user = UUID()
        let asset = AssetRow(
            id: UUID(), userId: user, fileName: "a.png", contentType: .imagePng, mediaType: .image, sizeBytes: 1, sha256: nil, status: .uploaded,
            storageKey: "k", width: 1, height: 1, createdAt: Date(), uploadedAt: Date(), durationMs: nil, receivedBytes: 1, uploadId: nil)
        var task = try TaskStateMachine.firstState(id: UUID(), user: user, asset: asset, mode: .fast, autoDetect: true, withMask: false)
        #expect(throws: TaskStateMachine.Refusal.illegal(from: .queued, to: .canceled, by: .worker)) {
            try TaskStateMachine.decide(task, to: .canceled, by: .worker)
        }
        task.status = .packaging
        #expect(throws: TaskStateMachine.Refusal.illegal(from: .packaging, to: .succeeded, by: .user)) {
            try TaskStateMachine.decide(task, to: .succeeded, by: .user)
        }
        #expect(TaskStateMachine.Refusal.illegal(from: .packaging, to: .succeeded, by: .user).message
            == "a task goes from PACKAGING to SUCCEEDED only by its worker, not by a user")
        #expect(try TaskStateMachine.decide(task, to: .succeeded, by: .worker).status == .succeeded)
    }
}
