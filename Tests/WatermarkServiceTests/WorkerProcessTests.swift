import ContractRuntime
import Foundation
import HummingbirdTesting
import InpaintCore
import PostgresNIO
import Testing
import VideoCore
import WatermarkClient
@testable import WatermarkService

/// `watermark worker` as separate processes on one PostgreSQL: a worker killed with SIGKILL in the
/// middle of a task leaves it to another after its lease expires, and the task completes exactly
/// once; two worker processes share a few hundred tasks without ever taking the same one.
@Suite(.serialized) struct WorkerProcessTests {
    /// A 1920×1080 gradient with a 400×160 white block: big enough that its stages take a moment.
    static let large: [UInt8] = {
        var image = PixelImage(width: 1920, height: 1080, channels: 3, fill: 0)
        image.pixels.withUnsafeMutableBufferPointer { pixels in
            for y in 0..<1080 {
                for x in 0..<1920 {
                    let i = (y * 1920 + x) * 3
                    let block = (1400..<1800).contains(x) && (860..<1020).contains(y)
                    pixels[i] = block ? 255 : UInt8(x / 8)
                    pixels[i + 1] = block ? 255 : UInt8(y / 5)
                    pixels[i + 2] = block ? 255 : UInt8((x + y) / 12)
                }
            }
        }
        return try! PNGCodec.encode(image)
    }()
    /// The block and a few pixels around it, in canvas units.
    static let largeBox = MaskInput(polygons: [MaskPolygon(points: [
        .init(x: 1396, y: 856), .init(x: 1804, y: 856), .init(x: 1804, y: 1024), .init(x: 1396, y: 1024),
    ])])

    /// The task's status and lease owner, read behind the service's back.
    static func state(_ harness: ServiceHarness, _ task: UUID) async throws -> (String, String?) {
        let rows = try await harness.admin.query("SELECT status::text, lease_owner FROM tasks WHERE id = \(task)")
        for try await row in rows.decode((String, String?).self) { return row }
        return ("", nil)
    }

    @Test func aWorkerKilledMidTaskLeavesItToAnotherAndItCompletesOnce() async throws {
        try await ServiceHarness.with { app, harness in
            try await app.test(.router) { client in
                let ada = try await TaskWorkerTests.newUser(client)
                let task = try await TaskWorkerTests.task(of: ada, bytes: Self.large, mask: Self.largeBox)
                // Hold the worker inside the task whatever the machine's speed: an uncommitted COMMITTED
                // ledger entry for the task makes the worker's own (the last write before SUCCEEDED) wait
                // on the unique key, so it cannot finish before it is killed.
                let logger = Logger(label: "test")
                let killedIn = try await harness.admin.withConnection { blocker in
                    try await blocker.query("BEGIN", logger: logger)
                    try await blocker.query("""
                        INSERT INTO usage_ledger (user_id, task_id, status, source, units, period_start)
                        SELECT user_id, task_id, 'COMMITTED', source, units, period_start
                        FROM usage_ledger WHERE task_id = \(task.id) AND status = 'HELD'
                        """, logger: logger)
                    // A lease of 5 s: on a loaded machine a 1-s lease can expire while the first worker
                    // still works (its own recovery then re-queues the task and it starts a second attempt).
                    let first = try WorkerProcess(for: harness, name: "first", leaseSeconds: 5)
                    // Kill it (SIGKILL: no chance to hand the task back) once it is at its last stage.
                    let deadline = ContinuousClock.now + .seconds(120)
                    var seen = ("", String?.none)
                    while ContinuousClock.now < deadline {
                        seen = try await Self.state(harness, task.id)
                        if seen.0 == "PACKAGING" && seen.1 != nil { break }
                        try await Task.sleep(for: .milliseconds(20))
                    }
                    first.stop(SIGKILL)
                    #expect(seen.0 == "PACKAGING" && seen.1 != nil, "the first worker never reached PACKAGING: \(seen) \(first.log)")
                    try await blocker.query("ROLLBACK", logger: logger)
                    return try await Self.state(harness, task.id)
                }
                #expect(["PREPROCESSING", "DETECTING", "INPAINTING", "PACKAGING"].contains(killedIn.0), "killed while \(killedIn.0)")

                // A long lease for the second: on a loaded machine its heartbeats must not miss one.
                let second = try WorkerProcess(for: harness, name: "second", leaseSeconds: 10)
                defer { second.stop() }
                let done = try await TaskWorkerTests.wait(ada.api, for: task.id, until: [.succeeded, .failed], timeout: .seconds(120))
                #expect(done.status == .succeeded && done.attempt >= 2, "\(second.log)")
                let events = try await TaskWorkerTests.events(harness, task.id)
                // One attempt per claim, and the task succeeded exactly once.
                #expect(events.filter { $0 == "PREPROCESSING" }.count == Int(done.attempt) && events.filter { $0 == "SUCCEEDED" }.count == 1, "\(events)")
                #expect(try await TaskWorkerTests.ledger(harness, task.id) == ["create:COMMITTED", "create:HELD"])
                #expect(second.count("recovered a task whose lease expired") == 1 && second.count("task succeeded") == 1)
                // A graceful stop: SIGTERM ends the process cleanly.
                let status = second.stop(SIGTERM)
                #expect(status == 0, "worker exit status \(status): \(second.log.suffix(2_000))")
            }
        }
    }

    @Test func aVideoTaskWhoseWorkerIsKilledIsRedoneOnceWithAnExactLedger() async throws {
        // 12 s of 640×360: long enough to be caught cleaning frames.
        let clip = try VideoFixtures.clip(width: 640, height: 360, seconds: 12)
        try await ServiceHarness.with({ $0.video.tools = try? FFmpegTools.locate() }) { app, harness in
            try await app.test(.router) { client in
                let ada = try await ServiceUser.register(client)
                let asset = try await VideoFixtures.uploadedVideo(client, ada, bytes: clip)
                let mask = MaskInput(polygons: [MaskPolygon(points: [
                    .init(x: 1500, y: 40), .init(x: 1880, y: 40), .init(x: 1880, y: 200), .init(x: 1500, y: 200),
                ])])
                let task = try await ada.api.createTask(
                    idempotencyKey: "video-kill", body: CreateTaskRequest(assetId: asset, mediaType: .video, mask: mask)).body
                // The workers' own temporary directory, to see what the killed one leaves there.
                let temporary = harness.configuration.storageDirectory + "/../worker-tmp"
                try FileManager.default.createDirectory(atPath: temporary, withIntermediateDirectories: true)
                func scratch() -> [String] {
                    ((try? FileManager.default.contentsOfDirectory(atPath: temporary)) ?? []).filter { $0.hasPrefix(ScratchDirectory.prefix) }
                }
                let first = try WorkerProcess(for: harness, name: "first-video", leaseSeconds: 5, temporaryDirectory: temporary)
                let deadline = ContinuousClock.now + .seconds(120)
                var seen = ("", String?.none)
                while ContinuousClock.now < deadline {
                    seen = try await Self.state(harness, task.id)
                    if seen.0 == "INPAINTING" && seen.1 != nil { break }
                    try await Task.sleep(for: .milliseconds(20))
                }
                first.stop(SIGKILL)
                #expect(seen.0 == "INPAINTING", "the first worker never cleaned frames: \(seen) \(first.log.suffix(2_000))")

                #expect(scratch().count == 1, "the killed worker's half-written result: \(scratch())")

                let second = try WorkerProcess(for: harness, name: "second-video", leaseSeconds: 10, temporaryDirectory: temporary)
                defer { second.stop() }
                let done = try await TaskWorkerTests.wait(ada.api, for: task.id, until: [.succeeded, .failed], timeout: .seconds(180))
                #expect(done.status == .succeeded && done.attempt == 2, "\(done) \(second.log.suffix(2_000))")
                // The second worker removed what the first left when it started, and its own when it finished.
                #expect(scratch().isEmpty, "\(scratch())")
                let events = try await TaskWorkerTests.events(harness, task.id)
                #expect(events.filter { $0 == "PREPROCESSING" }.count == 2 && events.filter { $0 == "SUCCEEDED" }.count == 1, "\(events)")
                #expect(try await TaskWorkerTests.ledger(harness, task.id) == ["create:COMMITTED", "create:HELD"])
                let result = try await ada.api.getTaskResult(taskId: task.id).body
                #expect(result.contentType == .videoMp4 && result.sizeBytes > 0)
            }
        }
    }

    @Test func twoWorkerProcessesNeverTakeTheSameTask() async throws {
        try await ServiceHarness.with({ $0.creationsPerMinute = 100_000 }) { app, harness in
            try await app.test(.router) { client in
                try await harness.admin.query("UPDATE plans SET quota_per_period = 100000")
                let ada = try await TaskWorkerTests.newUser(client)
                let first = try await TaskWorkerTests.task(of: ada)
                for _ in 1..<300 {
                    _ = try await ada.task(asset: first.assetId, mask: TaskWorkerTests.logoBox)
                }
                let workers = [try WorkerProcess(for: harness, name: "a", concurrency: 2), try WorkerProcess(for: harness, name: "b", concurrency: 2)]
                defer { workers.forEach { $0.stop() } }
                let deadline = ContinuousClock.now + .seconds(180)
                var remaining: Int64 = -1
                while ContinuousClock.now < deadline {
                    let left = try await harness.admin.query("SELECT count(*) FROM tasks WHERE status <> 'SUCCEEDED'")
                    for try await count in left.decode(Int64.self) { remaining = count }
                    if remaining == 0 { break }
                    try await Task.sleep(for: .milliseconds(200))
                }
                #expect(remaining == 0)
                let claims = try await harness.admin.query("""
                    SELECT count(*) FILTER (WHERE status = 'PREPROCESSING'), count(*) FILTER (WHERE status = 'SUCCEEDED'), count(DISTINCT task_id)
                    FROM task_events
                    """)
                for try await (preprocessing, succeeded, tasks) in claims.decode((Int64, Int64, Int64).self) {
                    #expect(tasks == 300 && preprocessing == 300 && succeeded == 300)
                }
                let committed = try await harness.admin.query("SELECT count(*), count(DISTINCT task_id) FROM usage_ledger WHERE status = 'COMMITTED'")
                for try await (entries, tasks) in committed.decode((Int64, Int64).self) { #expect(entries == 300 && tasks == 300) }
                let byProcess = workers.map { $0.count("task succeeded") }
                #expect(byProcess.reduce(0, +) == 300 && byProcess.allSatisfy { $0 > 0 }, "tasks per process: \(byProcess)")
            }
        }
    }
}
