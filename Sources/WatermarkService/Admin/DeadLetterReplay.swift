import ContractRuntime
import Foundation
import PostgresSupport
import WatermarkAPI
import WatermarkDatabase

/// Previews and replays dead letters: a dead task is queued again (holding quota again, its
/// automatic retries afresh), a DEAD outbox event or webhook delivery is made PENDING with its
/// attempts counted afresh. Only previewed letters are replayed: a preview is stored with the
/// letters it found replayable and expires after `previewLifetime`. Each replay is its own
/// transaction that first marks the dead letter replayed, so two replays of one letter do one
/// thing; at most `concurrency` run at once.
struct DeadLetterReplay: Sendable {
    let database: Database

    /// Replays at once without `highConcurrency`, and the most with it.
    static let standardConcurrency = 10
    static let maximumConcurrency = 20
    /// A high-concurrency batch this large needs `confirm`.
    static let confirmationThreshold = 50
    /// The most dead letters a filter selects.
    static let filterLimit = 500
    /// How long a preview may be executed.
    static let previewLifetime: TimeInterval = 30 * 60

    /// The dead letters a request names: its ids (unknown ones are left out), or those not yet
    /// replayed that match its filter (oldest first, at most `filterLimit`).
    func select(_ request: DeadLetterSelection) async throws -> [DeadLetterRow] {
        try await database.withContext(.system) { context in
            let queries = NamedQueries(context)
            if let ids = request.deadLetterIds {
                return try await queries.deadLettersByIds(id: ids)
            }
            let filter = request.filter
            return try await queries.matchDeadLetters(
                source: filter?.source?.rawValue, from: filter?.from, to: filter?.to, taskIds: filter?.taskIds, limit: Int64(Self.filterLimit))
        }
    }

    /// What a replay would do with each letter, stored (in `context`, the caller's transaction) as
    /// a preview of the letters that would replay, made by `admin`. Changes no letter.
    func preview(_ letters: [DeadLetterRow], by admin: UUID, in context: RepositoryContext) async throws -> ReplayPreview {
        var items: [ReplayItem] = []
        for letter in letters {
            let reason = try await Self.obstacle(to: letter, in: context)
            items.append(try Self.item(letter, outcome: reason == nil ? .wouldReplay : .skipped, reason: reason))
        }
        let now = Date()
        let row = try await DeadLetterPreviewRepository(context).insert(NewDeadLetterPreview(
            createdBy: admin, deadLetterIds: items.filter { $0.outcome == .wouldReplay }.map(\.deadLetterId),
            skipped: Int32(items.filter { $0.outcome == .skipped }.count), createdAt: now, expiresAt: now.addingTimeInterval(Self.previewLifetime)))
        return ReplayPreview(previewId: row.id, expiresAt: row.expiresAt, items: items)
    }

    /// Replays every letter, at most `concurrency` at a time; the items keep the letters' order.
    func replay(_ letters: [DeadLetterRow], concurrency: Int) async throws -> [ReplayItem] {
        var items = [ReplayItem?](repeating: nil, count: letters.count)
        try await withThrowingTaskGroup(of: (Int, ReplayItem).self) { group in
            var next = 0
            func start() {
                let index = next
                let letter = letters[index]
                group.addTask { (index, try await replay(letter)) }
                next += 1
            }
            while next < min(concurrency, letters.count) { start() }
            while let (index, item) = try await group.next() {
                items[index] = item
                if next < letters.count { start() }
            }
        }
        return items.compactMap { $0 }
    }

    /// One letter, in one transaction (rolled back when it turns out there is nothing to replay).
    /// A task that changed between the read and the move (a worker, another letter of the same task)
    /// is read again; after a few such races the letter is reported as skipped, never as an error.
    private func replay(_ letter: DeadLetterRow) async throws -> ReplayItem {
        for _ in 0..<Self.staleAttempts {
            do {
                try await database.withContext(.system) { context in
                    guard try await NamedQueries(context).markDeadLetterReplayed(id: letter.id) == 1 else {
                        throw Skipped(reason: letter.replayable ? "replayed already" : "not replayable")
                    }
                    if let reason = try await Self.obstacle(to: letter, in: context) { throw Skipped(reason: reason) }
                    try await Self.revive(letter, in: context)
                }
                return try Self.item(letter, outcome: .replayed, reason: nil)
            } catch let skipped as Skipped {
                return try Self.item(letter, outcome: .skipped, reason: skipped.reason)
            } catch TaskStateMachine.Refusal.stale {
                continue
            }
        }
        return try Self.item(letter, outcome: .skipped, reason: "the task kept changing while it was replayed; try again")
    }

    /// How often a letter is tried when its task changes under the replay.
    private static let staleAttempts = 5

    private struct Skipped: Error {
        let reason: String
    }

    /// Why `letter` cannot be replayed now, or nil.
    private static func obstacle(to letter: DeadLetterRow, in context: RepositoryContext) async throws -> String? {
        guard letter.replayable else { return "not replayable" }
        if letter.replayedAt != nil { return "replayed already" }
        switch letter.source {
        case .task:
            guard let id = letter.taskId, let task = try await TaskRepository(context).find(id: id) else { return "the task no longer exists" }
            return task.status == .failed ? nil : "the task is \(task.status.rawValue), not FAILED"
        case .outbox:
            guard let id = letter.outboxEventId, let event = try await OutboxEventRepository(context).find(id: id) else { return "the event no longer exists" }
            return event.status == .dead ? nil : "the event is \(event.status.rawValue), not DEAD"
        case .webhook:
            guard let id = deliveryID(of: letter), let delivery = try await WebhookDeliveryRepository(context).find(id: id) else {
                return "the delivery no longer exists"
            }
            return delivery.status == .dead ? nil : "the delivery is \(delivery.status.rawValue), not DEAD"
        }
    }

    /// Puts the dead thing back to work.
    private static func revive(_ letter: DeadLetterRow, in context: RepositoryContext) async throws {
        let queries = NamedQueries(context)
        switch letter.source {
        case .task:
            guard let id = letter.taskId, let task = try await TaskRepository(context).find(id: id) else { return }
            // Read again: another letter of the same task may have queued it since `obstacle` looked.
            guard task.status == .failed else { throw Skipped(reason: "the task is \(task.status.rawValue), not FAILED") }
            do {
                // Named after the version the task leaves FAILED from (a user's retry is `retry:<version>`).
                try await QuotaLedger.hold(task: task.id, on: task.assetId, user: task.userId, source: "replay:\(task.version)", in: context)
            } catch let exhausted as QuotaLedger.Exhausted {
                throw Skipped(reason: "the owner's quota is used up (\(exhausted.quota) tasks)")
            }
            let queued = try await TaskStateMachine.move(task, to: .queued, by: .admin, in: context) { $0.retries = 0 }
            try await TaskOutbox.publish("task.queued", queued, in: context)
        case .outbox:
            if let id = letter.outboxEventId { _ = try await queries.reviveOutboxEvent(id: id) }
        case .webhook:
            if let id = deliveryID(of: letter) { _ = try await queries.reviveWebhookDelivery(id: id) }
        }
    }

    /// The delivery a webhook dead letter is about (its context names it).
    private static func deliveryID(of letter: DeadLetterRow) -> UUID? {
        guard case .object(let context) = letter.context, case .string(let text)? = context["deliveryId"] else { return nil }
        return UUID(uuidString: text)
    }

    static func item(_ letter: DeadLetterRow, outcome: ReplayItem.Outcome, reason: String?) throws -> ReplayItem {
        ReplayItem(
            deadLetterId: letter.id, source: try converted(letter.source), taskId: letter.taskId,
            outboxEventId: letter.outboxEventId, outcome: outcome, reason: reason)
    }
}
