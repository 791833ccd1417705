import ContractRuntime
import Foundation
import Logging
import PostgresSupport
import ServiceLifecycle
import WatermarkAPI
import WatermarkDatabase

/// Publishes PENDING outbox events to the consumers (webhook fan-out) at least once: a batch of due
/// events is claimed with `SKIP LOCKED` (dispatchers in several processes share the work), handed to
/// every consumer and marked PUBLISHED in one transaction. When a batch fails, its events are
/// published one at a time, so the failure is recorded against the event that caused it: attempts
/// counted, the next one after a backoff, and after `outboxAttempts` the event is DEAD with a
/// dead letter (an operator can replay it).
struct OutboxDispatcher: Service {
    let database: Database
    let consumers: [any OutboxConsumer]
    let settings: WebhookSettings
    let logger: Logger
    /// Where dead letters are counted (`dead_letters_total{source="OUTBOX"}`).
    var metrics: ServiceMetrics?

    func run() async throws {
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            var handled = 0
            do {
                handled = try await dispatchDue()
            } catch is CancellationError {
                return
            } catch {
                logger.warning("publishing outbox events failed", metadata: ["error": "\(String(reflecting: error))"])
            }
            if handled == 0 {
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: settings.pollInterval) }
            }
        }
    }

    /// Publishes up to `limit` due events; returns how many were handled (published or failed).
    @discardableResult
    func dispatchDue(limit: Int = 100) async throws -> Int {
        do {
            return try await database.withContext(.system) { context in
                let queries = NamedQueries(context)
                let events = try await queries.claimDueOutboxEvents(limit: Int64(limit))
                for event in events {
                    for consumer in consumers { try await consumer.consume(event, in: context) }
                    _ = try await queries.markOutboxPublished(id: event.id)
                }
                return events.count
            }
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            return try await dispatchOneByOne(limit: limit)
        }
    }

    /// Each event in its own transaction; a failure rolls back only that event's, and is then
    /// recorded against it in a transaction of its own.
    private func dispatchOneByOne(limit: Int) async throws -> Int {
        var handled = 0
        while handled < limit {
            do {
                let event = try await database.withContext(.system) { context -> OutboxEventRow? in
                    let queries = NamedQueries(context)
                    guard let event = try await queries.claimDueOutboxEvents(limit: 1).first else { return nil }
                    do {
                        for consumer in consumers { try await consumer.consume(event, in: context) }
                    } catch {
                        throw ConsumerFailure(event: event, error: error)
                    }
                    _ = try await queries.markOutboxPublished(id: event.id)
                    return event
                }
                guard event != nil else { return handled }
            } catch let failure as ConsumerFailure {
                try await recordFailure(of: failure.event, failure.error)
            }
            handled += 1
        }
        return handled
    }

    /// A consumer refused `event` (the transaction is rolled back by throwing this).
    private struct ConsumerFailure: Error {
        let event: OutboxEventRow
        let error: any Error
    }

    /// Counts a failed attempt of `event`: the next one after the backoff, or DEAD with a dead letter.
    private func recordFailure(of event: OutboxEventRow, _ error: any Error) async throws {
        let message = String(String(reflecting: error).prefix(1_000))
        let attempts = Int(event.attempts) + 1
        let letterWritten = try await database.withContext(.system) { context -> Bool in
            let queries = NamedQueries(context)
            if attempts < settings.outboxAttempts {
                let next = Date().addingTimeInterval(settings.outboxRetry.delay(beforeRetry: Int32(attempts - 1)))
                _ = try await queries.markOutboxRetry(id: event.id, nextAttemptAt: next, lastError: message)
                logger.warning("publishing an outbox event failed; retrying", metadata: ["event_id": "\(event.id)", "attempt": "\(attempts)", "error": "\(message)"])
            } else if try await queries.markOutboxDead(id: event.id, lastError: message) == 1 {
                _ = try await DeadLetterRepository(context).insert(NewDeadLetter(
                    source: .outbox, userId: event.userId, taskId: event.aggregateType == .task ? event.aggregateId : nil, outboxEventId: event.id,
                    errorCode: Int32(ErrorCode.internal.rawValue), errorMessage: "the \(event.eventType) event could not be published",
                    context: .object(JSONObject([("eventType", .string(event.eventType)), ("attempts", .integer(Int64(attempts))), ("lastError", .string(message))]))))
                logger.error("an outbox event is DEAD", metadata: ["event_id": "\(event.id)", "attempts": "\(attempts)", "error": "\(message)"])
                return true
            }
            return false
        }
        if letterWritten { metrics?.deadLetterWritten(source: "OUTBOX") }
    }
}
