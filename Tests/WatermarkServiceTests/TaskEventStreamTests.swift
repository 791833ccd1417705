import Foundation
import HummingbirdTesting
import Logging
import Testing
import WatermarkAPI
import WatermarkDatabase
@testable import WatermarkService

/// The events stream wakes on PostgreSQL's announcements (migration 0011's trigger, heard by
/// `TaskEventListener`) instead of waiting for its next poll.
@Suite("watermark serve: task event announcements")
struct TaskEventStreamTests {
    @Test func aStreamWakesOnAnnouncementsNotOnItsPoll() async throws {
        // Streams would look on their own only every 10 minutes: every event below must arrive
        // through an announcement.
        let announcements = TaskEventAnnouncements(fallbackPoll: .seconds(600))
        try await ServiceHarness.with(announcements: announcements) { app, harness in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    try await TaskEventListener.make(client: harness.database.client, announcements: announcements, logger: Logger(label: "test")).run()
                }
                while !announcements.isListening { try await Task.sleep(for: .milliseconds(20)) }
                try await app.test(.router) { client in
                    let token = try await AuthOperationsTests.register(client).tokens.accessToken
                    let asset = try await UploadFixtures.uploadedAsset(client, token: token)
                    let task = try ServiceHarness.data(
                        try await TaskLifecycleTests.create(client, token, asset: asset, extra: #","mask":\#(TaskLifecycleTests.mask)"#), as: TaskModel.self)
                    #expect(task.status == .queued)

                    // The worker's steps run once the stream is open and has read the first events.
                    let worker = Task {
                        while announcements.subscriberCount(task.id) == 0 { try await Task.sleep(for: .milliseconds(20)) }
                        try await Task.sleep(for: .milliseconds(200))
                        let pipeline = harness.pipeline
                        var row = try #require(try await pipeline.claim(owner: "announced", limit: 1, lease: 30).first)
                        for (status, progress) in [(TaskStatusEnum.detecting, Int16(20)), (.inpainting, 50), (.packaging, 90)] {
                            row = try await pipeline.advance(row, to: status, progress: progress)
                        }
                        _ = try await pipeline.succeed(row, result: UploadFixtures.jpeg, contentType: "image/jpeg", fileExtension: "jpg")
                    }
                    // Without announcements the stream would sleep for 600 s after its first read; a
                    // minute is the test's bound.
                    let stream = try await withThrowingTaskGroup(of: TestResponse?.self) { race in
                        race.addTask { try await client.send(.get, "/v1/tasks/\(task.id)/events", token: token) }
                        race.addTask { try await Task.sleep(for: .seconds(60)); return nil }
                        defer { race.cancelAll() }
                        return try await race.next() ?? nil
                    }
                    try await worker.value
                    let text = String(buffer: try #require(stream, "the stream did not end within a minute: announcements did not wake it").body)
                    for status in ["QUEUED", "PREPROCESSING", "DETECTING", "INPAINTING", "PACKAGING", "SUCCEEDED"] {
                        #expect(text.contains(#""status":"\#(status)""#), "\(status) missing from the stream")
                    }
                    #expect(announcements.subscriberCount(task.id) == 0)
                }
                group.cancelAll()
            }
        }
    }

    @Test func aSignalBeforeTheWaitIsKeptAndCancellationEndsTheWait() async throws {
        let announcements = TaskEventAnnouncements()
        let task = UUID()
        let subscription = announcements.subscribe(task)
        announcements.announce(task)
        // Already signalled: returns at once although the timeout is an hour.
        await subscription.wait(upTo: .seconds(3_600))
        // Cancelled while waiting: returns.
        let waiting = Task { await subscription.wait(upTo: .seconds(3_600)) }
        waiting.cancel()
        await waiting.value
        announcements.unsubscribe(subscription)
        #expect(announcements.subscriberCount(task) == 0)
    }
}
