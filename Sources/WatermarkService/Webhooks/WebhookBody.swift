import ContractRuntime
import Foundation

/// The JSON body every webhook carries: `{id, type, createdAt, data}`, `id` being the event's id
/// (also `X-Webhook-Id`). It is built once, when the delivery is queued, and stored with it, so
/// every attempt sends the same bytes.
enum WebhookBody {
    static func envelope(id: UUID, type: String, createdAt: Date, data: JSONValue) -> JSONValue {
        .object(JSONObject([
            ("id", .string(id.uuidString.lowercased())), ("type", .string(type)),
            ("createdAt", createdAt.json),
            ("data", data),
        ]))
    }
}
