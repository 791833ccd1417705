import ContractRuntime
import Foundation
import PostgresSupport
import WatermarkDatabase

/// Task events for the outbox (`task.created`, `task.queued`, `task.canceled`, …), written in the
/// transaction of the change they announce, so an event exists exactly when its change committed.
enum TaskOutbox {
    /// Writes event `type` about `task`, with `extra` fields after the usual ones.
    static func publish(_ type: String, _ task: TaskRow, extra: [(String, JSONValue)] = [], in context: RepositoryContext) async throws {
        _ = try await OutboxEventRepository(context).insert(NewOutboxEvent(
            userId: task.userId, aggregateType: .task, aggregateId: task.id, eventType: type, payload: payload(task, extra: extra)))
    }

    /// What an event about `task` says: its id, status, progress, version and attempt, then `extra`.
    static func payload(_ task: TaskRow, extra: [(String, JSONValue)] = []) -> JSONValue {
        .object(JSONObject([
            ("taskId", .string(task.id.uuidString.lowercased())), ("status", .string(task.status.rawValue)),
            ("progress", .integer(Int64(task.progress))), ("version", .integer(task.version)), ("attempt", .integer(Int64(task.attempt))),
        ] + extra))
    }
}
