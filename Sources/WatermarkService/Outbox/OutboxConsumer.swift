import PostgresSupport
import WatermarkDatabase

/// Something that acts on an outbox event as it is published, inside the publishing transaction:
/// when it throws, the event is not published and is tried again later (then DEAD).
protocol OutboxConsumer: Sendable {
    func consume(_ event: OutboxEventRow, in context: RepositoryContext) async throws
}

/// Turns an event into one PENDING delivery per enabled webhook endpoint of its user subscribed to
/// its type (an endpoint that already has the event keeps its delivery: publishing twice is harmless).
struct WebhookFanOut: OutboxConsumer {
    func consume(_ event: OutboxEventRow, in context: RepositoryContext) async throws {
        // Only webhook event types have subscribers (an endpoint's `events` allow no others).
        guard let user = event.userId, let type = WebhookEventTypeEnum(rawValue: event.eventType) else { return }
        let body = WebhookBody.envelope(id: event.id, type: event.eventType, createdAt: event.createdAt, data: event.payload)
        _ = try await NamedQueries(context).enqueueWebhookDeliveries(eventId: event.id, userId: user, eventType: type, payload: body)
    }
}
