import ContractClient
import Foundation
import HummingbirdTesting
import Logging
import Testing
import WatermarkClient
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
                    let ada = try await ServiceUser.register(client)
                    let asset = try await ada.uploadedAsset()
                    let task = try await ada.task(asset: asset, mask: .cornerBox)
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
                    // minute is the test's bound. The client's event sequence ends when the server ends
                    // the finished task's stream.
                    let events = try await withThrowingTaskGroup(of: [TaskEvent]?.self) { race in
                        race.addTask {
                            var events: [TaskEvent] = []
                            for try await event in try ada.api.streamTaskEvents(taskId: task.id) { events.append(event.data) }
                            return events
                        }
                        race.addTask { try await Task.sleep(for: .seconds(60)); return nil }
                        defer { race.cancelAll() }
                        return try await race.next() ?? nil
                    }
                    try await worker.value
                    let statuses = try #require(events, "the stream did not end within a minute: announcements did not wake it").map(\.status)
                    for status in [TaskStatus.queued, .preprocessing, .detecting, .inpainting, .packaging, .succeeded] {
                        #expect(statuses.contains(status), "\(status.rawValue) missing from the stream")
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
