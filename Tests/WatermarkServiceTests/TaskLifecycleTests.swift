import ContractRuntime
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import PostgresNIO
import Testing
import WatermarkAPI
import WatermarkDatabase
@testable import WatermarkService

/// Tasks end to end through the generated router over real PostgreSQL: upload → create → mask →
/// the worker's steps → result → download → delete, with quota, idempotency and concurrency.
@Suite("watermark serve: task lifecycle")
struct TaskLifecycleTests {
    static let mask = #"{"polygons":[{"points":[{"x":1320,"y":810},{"x":1800,"y":810},{"x":1800,"y":990},{"x":1320,"y":990}]}]}"#

    static func create(_ client: some TestClientProtocol, _ token: String, asset: UUID, extra: String = "", key: String = "create-\(UUID())") async throws -> TestResponse {
        try await client.send(.post, "/v1/tasks", json: #"{"assetId":"\#(asset)","mediaType":"IMAGE"\#(extra)}"#, key: key, token: token)
    }

    static func expect(_ response: TestResponse, _ status: HTTPResponse.Status, _ code: Int64, sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(response.status == status, sourceLocation: sourceLocation)
        #expect(try ServiceHarness.code(response) == code, sourceLocation: sourceLocation)
    }

    static func usage(_ client: some TestClientProtocol, _ token: String) async throws -> Usage {
        try ServiceHarness.data(try await client.send(.get, "/v1/usage/me", token: token), as: Usage.self)
    }

    @Test func anImageGoesFromUploadToADownloadedResultAndIsDeleted() async throws {
        try await ServiceHarness.with { app, harness in
            try await app.test(.router) { client in
                let token = try await AuthOperationsTests.register(client).tokens.accessToken
                let asset = try await UploadFixtures.uploadedAsset(client, token: token)

                // Created without a mask it waits in UPLOADED; the first mask queues it.
                let created = try await Self.create(client, token, asset: asset)
                #expect(created.status == .created)
                var task = try ServiceHarness.data(created, as: TaskModel.self)
                #expect(task.status == .uploaded && task.version == 1 && task.maskVersion == 0 && task.mode == .fast)
                let early = try await client.send(.get, "/v1/tasks/\(task.id)/result", token: token)
                try Self.expect(early, .unprocessableContent, 42202)
                let saved = try await client.send(.post, "/v1/tasks/\(task.id)/mask", json: Self.mask, key: "mask-\(UUID())", token: token, headers: ["If-Match": #""0""#])
                #expect(saved.status == .ok)
                let mask = try ServiceHarness.data(saved, as: TaskMask.self)
                #expect(mask.version == 1 && mask.polygons.first?.points.count == 4 && mask.strokes.isEmpty)
                task = try ServiceHarness.data(try await client.send(.get, "/v1/tasks/\(task.id)", token: token), as: TaskModel.self)
                #expect(task.status == .queued && task.maskVersion == 1 && task.version == 2)
                #expect(try await Self.usage(client, token).held == 1)

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

                let usage = try await Self.usage(client, token)
                #expect(usage.used == 1 && usage.held == 0 && usage.remaining == usage.quota - 1)

                // The result link downloads the file; an expired or altered link does not.
                let link = try ServiceHarness.data(try await client.send(.get, "/v1/tasks/\(task.id)/result", token: token), as: TaskResult.self)
                #expect(link.contentType == .imageJpeg && link.sizeBytes == Int64(result.count) && link.expireAt > Date())
                let download = try await client.execute(uri: UploadFixtures.pathAndQuery(link.resultUrl), method: .get)
                #expect(download.status == .ok && download.headers[.contentType] == "image/jpeg" && Array(download.body.readableBytesView) == result)
                let stale = harness.auth.urlSigner.url(base: "", method: "GET", path: "/v1/storage/results/\(task.id.uuidString.lowercased())", expires: Date().addingTimeInterval(-1))
                try Self.expect(try await client.execute(uri: stale, method: .get), .unauthorized, 40102)

                // The events stream replays every change, in order, and ends at SUCCEEDED; Last-Event-ID resumes.
                let stream = try await client.send(.get, "/v1/tasks/\(task.id)/events", token: token)
                #expect(stream.status == .ok && stream.headers[.contentType]?.hasPrefix("text/event-stream") == true)
                let text = String(buffer: stream.body)
                let ids = text.split(separator: "\n").filter { $0.hasPrefix("id: ") }.map { Int($0.dropFirst(4))! }
                #expect(ids == Array(1...8))
                #expect(text.contains(#""status":"QUEUED""#) && text.hasSuffix(#""status":"SUCCEEDED","progress":100,"at":"# + text.split(separator: "\"at\":").last!))
                let resumed = String(buffer: try await client.send(.get, "/v1/tasks/\(task.id)/events", token: token, headers: ["Last-Event-ID": "7"]).body)
                #expect(resumed.hasPrefix("id: 8\nevent: task\ndata: {") && resumed.contains("SUCCEEDED"))
                // Nothing after the last event of a finished task: the stream ends at once, empty.
                let after = try await client.send(.get, "/v1/tasks/\(task.id)/events", token: token, headers: ["Last-Event-ID": "8"])
                #expect(after.status == .ok && after.body.readableBytes == 0)

                // Delete: the task, its mask, events and files go; an audit record stays.
                #expect(try await client.send(.delete, "/v1/tasks/\(task.id)", token: token).status == .noContent)
                try Self.expect(try await client.send(.get, "/v1/tasks/\(task.id)", token: token), .notFound, 40401)
                try Self.expect(try await client.send(.delete, "/v1/tasks/\(task.id)", token: token), .notFound, 40401)
                try Self.expect(try await client.execute(uri: UploadFixtures.pathAndQuery(link.resultUrl), method: .get), .notFound, 40401)
                try Self.expect(try await client.send(.get, "/v1/assets/\(asset)", token: token), .notFound, 40401)
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
                #expect(try await Self.usage(client, token).used == 1)
            }
        }
    }

    @Test func creatingChecksTheRequestTheAssetAndThePlan() async throws {
        try await ServiceHarness.with { app, _ in
            try await app.test(.router) { client in
                let token = try await AuthOperationsTests.register(client).tokens.accessToken
                let asset = try await UploadFixtures.uploadedAsset(client, token: token)
                let both = try await Self.create(client, token, asset: asset, extra: #","autoDetect":true,"mask":\#(Self.mask)"#)
                try Self.expect(both, .badRequest, 40001)
                #expect(String(buffer: both.body).contains("cannot have mask and autoDetect: true"))
                // The asset is an image: a VIDEO task on it, or a mask by time ranges, is refused by rule (422).
                try Self.expect(try await client.send(.post, "/v1/tasks", json: #"{"assetId":"\#(asset)","mediaType":"VIDEO"}"#, key: "video-1234", token: token), .unprocessableContent, 42201)
                let ranges = try await Self.create(client, token, asset: asset, extra: #","mask":{"timeRanges":[{"startMs":0,"endMs":1000,"polygons":[{"points":[{"x":10,"y":10},{"x":300,"y":10},{"x":300,"y":200}]}]}]}"#)
                try Self.expect(ranges, .unprocessableContent, 42207)
                #expect(String(buffer: ranges.body).contains("/body/mask/timeRanges"))
                try Self.expect(try await Self.create(client, token, asset: UUID()), .notFound, 40401)
                try Self.expect(try await Self.create(client, token, asset: asset, extra: #","mode":"QUALITY""#), .unprocessableContent, 42201)
                let empty = try await Self.create(client, token, asset: asset, extra: #","mask":{"polygons":[],"strokes":[]}"#)
                try Self.expect(empty, .badRequest, 40001)
                let flat = try await Self.create(client, token, asset: asset, extra: #","mask":{"polygons":[{"points":[{"x":1,"y":1},{"x":2,"y":2},{"x":3,"y":3}]}]}"#)
                try Self.expect(flat, .unprocessableContent, 42205)
                #expect(String(buffer: flat.body).contains("/body/mask/polygons/0/points"))
                // A bow-tie (two triangles meeting at a point) has zero signed area but fills pixels: accepted.
                let bowTie = #","mask":{"polygons":[{"points":[{"x":100,"y":100},{"x":300,"y":300},{"x":300,"y":100},{"x":100,"y":300}]}]}"#
                let crossed = try await Self.create(client, token, asset: asset, extra: bowTie)
                #expect(crossed.status == .created, "\(String(buffer: crossed.body))")
                let pending = try ServiceHarness.data(try await UploadFixtures.policy(client, token: token, bytes: UploadFixtures.png), as: UploadPolicy.self)
                try Self.expect(try await Self.create(client, token, asset: pending.assetId), .unprocessableContent, 42201)
                // Auto-detection queues at once.
                let auto = try ServiceHarness.data(try await Self.create(client, token, asset: asset, extra: #","autoDetect":true"#), as: TaskModel.self)
                #expect(auto.status == .queued && auto.autoDetect && auto.maskVersion == 0)
            }
        }
    }

    @Test func fiftyConcurrentDuplicatesCreateOneTask() async throws {
        try await ServiceHarness.with { app, harness in
            try await app.test(.router) { client in
                let token = try await AuthOperationsTests.register(client).tokens.accessToken
                let asset = try await UploadFixtures.uploadedAsset(client, token: token)
                let ids = try await withThrowingTaskGroup(of: UUID.self) { group in
                    for _ in 0..<50 {
                        group.addTask {
                            let response = try await Self.create(client, token, asset: asset, extra: #","autoDetect":true"#, key: "same-key-for-all")
                            return try ServiceHarness.data(response, as: TaskModel.self).id
                        }
                    }
                    return try await group.reduce(into: Set<UUID>()) { $0.insert($1) }
                }
                #expect(ids.count == 1)
                for try await count in try await harness.admin.query("SELECT count(*) FROM tasks").decode(Int64.self) { #expect(count == 1) }
                for try await count in try await harness.admin.query("SELECT count(*) FROM outbox_events WHERE event_type = 'task.created'").decode(Int64.self) { #expect(count == 1) }
                #expect(try await Self.usage(client, token).held == 1)
                // The same key with another request is a conflict.
                try Self.expect(try await Self.create(client, token, asset: asset, key: "same-key-for-all"), .conflict, 40901)
            }
        }
    }

    @Test func quotaIsHeldCommittedAndReleased() async throws {
        try await ServiceHarness.with { app, harness in
            try await harness.admin.query("UPDATE plans SET quota_per_period = 3 WHERE code = 'free'")
            try await app.test(.router) { client in
                let token = try await AuthOperationsTests.register(client).tokens.accessToken
                let asset = try await UploadFixtures.uploadedAsset(client, token: token)
                let first = try ServiceHarness.data(try await Self.create(client, token, asset: asset, extra: #","autoDetect":true"#), as: TaskModel.self)
                // Concurrent creations with different keys never take more than what is left.
                let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                    for _ in 0..<6 { group.addTask { try await Self.create(client, token, asset: asset, extra: #","autoDetect":true"#).status } }
                    return try await group.reduce(into: [HTTPResponse.Status]()) { $0.append($1) }
                }
                #expect(statuses.filter { $0 == .created }.count == 2 && statuses.filter { $0 == .forbidden }.count == 4)
                let refused = try await Self.create(client, token, asset: asset, extra: #","autoDetect":true"#)
                try Self.expect(refused, .forbidden, 40302)
                #expect(try await Self.usage(client, token).remaining == 0)

                // Cancel releases; the same key replays; the key for another action or task conflicts.
                let cancel = try await client.send(.post, "/v1/tasks/\(first.id)/cancel", key: "cancel-first", token: token)
                let canceled = try ServiceHarness.data(cancel, as: TaskModel.self)
                #expect(canceled.status == .canceled && canceled.finishedAt != nil)
                let replay = try ServiceHarness.data(try await client.send(.post, "/v1/tasks/\(first.id)/cancel", key: "cancel-first", token: token), as: TaskModel.self)
                #expect(replay.version == canceled.version && replay.updatedAt == canceled.updatedAt)
                try Self.expect(try await client.send(.post, "/v1/tasks/\(first.id)/retry", key: "cancel-first", token: token), .conflict, 40901)
                let otherTask = try await harness.admin.query("SELECT id FROM tasks WHERE id <> \(first.id) LIMIT 1")
                for try await other in otherTask.decode(UUID.self) {
                    try Self.expect(try await client.send(.post, "/v1/tasks/\(other)/cancel", key: "cancel-first", token: token), .conflict, 40901)
                }
                try Self.expect(try await client.send(.post, "/v1/tasks/\(first.id)/cancel", key: "cancel-again", token: token), .unprocessableContent, 42201)
                #expect(try await Self.usage(client, token).remaining == 1)

                // Retry holds again (and is refused when nothing is left); from a queued task it is 42201.
                let retried = try ServiceHarness.data(try await client.send(.post, "/v1/tasks/\(first.id)/retry", key: "retry-first", token: token), as: TaskModel.self)
                #expect(retried.status == .queued && retried.progress == 0)
                try Self.expect(try await client.send(.post, "/v1/tasks/\(first.id)/retry", key: "retry-again", token: token), .unprocessableContent, 42201)
                #expect(try await Self.usage(client, token).remaining == 0)

                // A worker failure releases; success commits — each once.
                let pipeline = harness.pipeline
                let claimed = try await pipeline.claim(owner: "w", limit: 10, lease: 30)
                #expect(claimed.count == 3)
                let failed = try await pipeline.fail(claimed[0], code: 50001, message: "the image could not be processed")
                await #expect(throws: TaskStateMachine.Refusal.illegal(from: .failed, to: .failed)) { _ = try await pipeline.fail(failed, code: 50001, message: "again") }
                var done = try await pipeline.advance(claimed[1], to: .detecting, progress: 10)
                done = try await pipeline.advance(done, to: .inpainting, progress: 50)
                done = try await pipeline.advance(done, to: .packaging, progress: 90)
                done = try await pipeline.succeed(done, result: UploadFixtures.png, contentType: "image/png", fileExtension: "png")
                let usage = try await Self.usage(client, token)
                #expect(usage.used == 1 && usage.held == 1 && usage.remaining == 1)
                // A canceled running task stops its worker: the next step finds the version stale.
                _ = try await client.send(.post, "/v1/tasks/\(claimed[2].id)/cancel", key: "cancel-running", token: token)
                await #expect(throws: TaskStateMachine.Refusal.stale) { _ = try await pipeline.advance(claimed[2], to: .detecting, progress: 10) }
                #expect(try await Self.usage(client, token).remaining == 2)
                let failedTask = try ServiceHarness.data(try await client.send(.get, "/v1/tasks/\(failed.id)", token: token), as: TaskModel.self)
                #expect(failedTask.status == .failed && failedTask.errorCode == 50001)
                // With nothing left, retrying the failed task is refused and it stays FAILED.
                try await harness.admin.query("UPDATE plans SET quota_per_period = 1 WHERE code = 'free'")
                try Self.expect(try await client.send(.post, "/v1/tasks/\(failed.id)/retry", key: "retry-failed", token: token), .forbidden, 40302)
                #expect(try ServiceHarness.data(try await client.send(.get, "/v1/tasks/\(failed.id)", token: token), as: TaskModel.self).status == .failed)
            }
        }
    }

    @Test func aCreateAfterThePeriodEndedHoldsItsUnitInTheNextPeriod() async throws {
        try await ServiceHarness.with { app, harness in
            try await harness.admin.query("UPDATE plans SET quota_per_period = 1 WHERE code = 'free'")
            try await app.test(.router) { client in
                let token = try await AuthOperationsTests.register(client).tokens.accessToken
                let asset = try await UploadFixtures.uploadedAsset(client, token: token)
                #expect(try await Self.create(client, token, asset: asset, extra: #","autoDetect":true"#).status == .created)
                try Self.expect(try await Self.create(client, token, asset: asset, extra: #","autoDetect":true"#), .forbidden, 40302)
                // The period ends: the next create rolls it forward and its unit counts in the new one.
                try await harness.admin.query("UPDATE subscriptions SET current_period_start = current_period_start - interval '40 days', current_period_end = now() - interval '1 hour'")
                try await harness.admin.query("UPDATE usage_ledger SET period_start = period_start - interval '40 days'")
                let created = try ServiceHarness.data(try await Self.create(client, token, asset: asset, extra: TaskWorkerTests.logoMask), as: TaskModel.self)
                #expect(created.status == .queued && created.maskVersion == 1)
                let periods = try await harness.admin.query("""
                    SELECT count(*), count(DISTINCT l.period_start), bool_and(s.current_period_end > now()), max(l.period_start) = max(s.current_period_start)
                    FROM usage_ledger AS l, subscriptions AS s WHERE s.status = 'ACTIVE'
                    """)
                for try await (holds, distinct, current, newest) in periods.decode((Int64, Int64, Bool, Bool).self) {
                    #expect(holds == 2 && distinct == 2 && current && newest)
                }
                try Self.expect(try await Self.create(client, token, asset: asset, extra: #","autoDetect":true"#), .forbidden, 40302)
                #expect(try await Self.usage(client, token).remaining == 0)
            }
        }
    }

    @Test func masksNeedTheCurrentVersionAndAnUploadedTask() async throws {
        try await ServiceHarness.with { app, _ in
            try await app.test(.router) { client in
                let token = try await AuthOperationsTests.register(client).tokens.accessToken
                let asset = try await UploadFixtures.uploadedAsset(client, token: token)
                let task = try ServiceHarness.data(try await Self.create(client, token, asset: asset), as: TaskModel.self)
                func save(_ body: String, ifMatch: String, key: String = "mask-\(UUID())") async throws -> TestResponse {
                    try await client.send(.post, "/v1/tasks/\(task.id)/mask", json: body, key: key, token: token, headers: ["If-Match": ifMatch])
                }
                try Self.expect(try await save(Self.mask, ifMatch: #""3""#), .conflict, 40901)
                try Self.expect(try await save(#"{"strokes":[]}"#, ifMatch: #""0""#), .badRequest, 40001)
                try Self.expect(try await save(#"{"polygons":[{"points":[{"x":5,"y":5},{"x":5,"y":5},{"x":5,"y":5}]}]}"#, ifMatch: #""0""#), .unprocessableContent, 42205)
                try Self.expect(try await save(#"{"strokes":[{"radius":12,"points":[{"x":1921,"y":5}]}]}"#, ifMatch: #""0""#), .badRequest, 40001)
                try Self.expect(try await save(#"{"timeRanges":[{"startMs":0,"strokes":[{"radius":12,"points":[{"x":100,"y":100}]}]}]}"#, ifMatch: #""0""#), .unprocessableContent, 42207)
                #expect(try await save(#"{"strokes":[{"radius":12,"points":[{"x":100,"y":100},{"x":180,"y":120}]}]}"#, ifMatch: #""0""#, key: "mask-key-1").status == .ok)
                // Replayed by its key; a second mask on the now queued task is 42201.
                #expect(try await save(#"{"strokes":[{"radius":12,"points":[{"x":100,"y":100},{"x":180,"y":120}]}]}"#, ifMatch: #""0""#, key: "mask-key-1").status == .ok)
                try Self.expect(try await save(Self.mask, ifMatch: #""1""#), .unprocessableContent, 42201)
                let list = try ServiceHarness.data(try await client.send(.get, "/v1/tasks?status=QUEUED", token: token), as: TaskPage.self)
                #expect(list.items.map(\.id) == [task.id] && list.nextCursor == nil)
            }
        }
    }

    @Test func theTransitionTableIsTheContracts() {
        let all: [TaskStatusEnum] = [.uploaded, .queued, .preprocessing, .detecting, .inpainting, .packaging, .succeeded, .failed, .canceled]
        let allowed = Set(all.flatMap { from in all.filter { TaskStateMachine.allows(from: from, to: $0) }.map { "\(from.rawValue)→\($0.rawValue)" } })
        let expected = Set<String>([
            "UPLOADED→QUEUED", "UPLOADED→CANCELED", "QUEUED→PREPROCESSING", "QUEUED→CANCELED", "QUEUED→FAILED",
            "PREPROCESSING→DETECTING", "DETECTING→INPAINTING", "INPAINTING→PACKAGING", "PACKAGING→SUCCEEDED",
            "FAILED→QUEUED", "CANCELED→QUEUED",
        ]).union(["PREPROCESSING", "DETECTING", "INPAINTING", "PACKAGING"].flatMap { running in
            ["QUEUED", "FAILED", "CANCELED", running].map { "\(running)→\($0)" }
        })
        #expect(allowed == expected)
    }
}
