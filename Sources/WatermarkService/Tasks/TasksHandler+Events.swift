import ContractRuntime
import ContractServer
import Foundation
import Hummingbird
import NIOCore
import PostgresSupport
import ServiceLifecycle
import WatermarkAPI
import WatermarkDatabase

/// `GET /v1/tasks/{taskId}/events`: the task's events as server-sent events. The stream starts
/// after `Last-Event-ID`, reads the task's new events whenever PostgreSQL announces one
/// (`TaskEventAnnouncements`; no broker) and every few seconds in any case (twice a second while
/// announcements are not heard), sends a comment line every 15 s so proxies keep it open, and ends after a
/// finished status (at once when the task had already finished), when the task is deleted, when
/// the service shuts down, or after `streamLifetime` (the client reconnects with its last id).
extension TasksHandler {
    func streamTaskEvents(_ input: Operations.StreamTaskEvents.Input, context: Context) async throws -> Operations.StreamTaskEvents.Output {
        typealias Failure = Operations.StreamTaskEvents.Failure
        let user = input.principal.subject
        guard try await find(input.taskId, of: user) != nil else { throw Failure.notFound("no such task") }
        let start = input.lastEventId.flatMap { Int64($0) } ?? 0
        let database = database
        let lifetime = streamLifetime
        let task = input.taskId
        let announcements = announcements
        return .ok(ResponseBody { writer in
            let subscription = announcements.subscribe(task)
            defer { announcements.unsubscribe(subscription) }
            var last = start
            let clock = ContinuousClock()
            let deadline = clock.now.advanced(by: lifetime)
            var quietSince = clock.now
            // A graceful shutdown ends open streams (clients reconnect elsewhere with Last-Event-ID)
            // instead of holding the shutdown for their lifetime.
            while clock.now < deadline, !Task.isShuttingDownGracefully {
                let events = try await Self.events(of: task, user: user, after: last, in: database)
                for event in events {
                    try await writer.write(ByteBuffer(bytes: Self.serverSentEvent(event)))
                    last = event.sequence
                    quietSince = clock.now
                }
                if events.contains(where: { TaskStateMachine.finished.contains($0.status) }) { break }
                // Nothing new: a task that has finished (or was deleted) will say nothing more — but
                // it may have finished between the two reads, so its last events are sent first.
                if events.isEmpty, try await Self.hasEnded(task, user: user, in: database) {
                    for event in try await Self.events(of: task, user: user, after: last, in: database) {
                        try await writer.write(ByteBuffer(bytes: Self.serverSentEvent(event)))
                    }
                    break
                }
                if quietSince.duration(to: clock.now) >= .seconds(15) {
                    try await writer.write(ByteBuffer(string: ": still running\n\n"))
                    quietSince = clock.now
                }
                // Until an announcement, the poll interval, or a graceful shutdown.
                let interval = announcements.pollInterval
                await cancelWhenGracefulShutdown { await subscription.wait(upTo: interval) }
                try Task.checkCancellation()
            }
            try await writer.finish(nil)
        })
    }

    private static func events(of task: UUID, user: UUID, after sequence: Int64, in database: Database) async throws -> [TaskEventRow] {
        try await database.withContext(.user(user)) { context in
            try await NamedQueries(context).listTaskEventsAfter(taskId: task, sequence: sequence)
        }
    }

    private static func hasEnded(_ task: UUID, user: UUID, in database: Database) async throws -> Bool {
        let row = try await database.withContext(.user(user)) { context in
            try await TaskRepository(context).find(id: task)
        }
        return row.map { TaskStateMachine.finished.contains($0.status) } ?? true
    }

    /// One event in the `text/event-stream` format: `id`, `event: task` and the TaskEvent as JSON.
    static func serverSentEvent(_ row: TaskEventRow) throws -> [UInt8] {
        Array("id: \(row.sequence)\nevent: task\ndata: ".utf8) + JSONSerializer.serialize(try TaskMapping.event(row).json) + Array("\n\n".utf8)
    }
}
