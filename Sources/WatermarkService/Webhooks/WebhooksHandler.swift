import ContractRuntime
import ContractServer
import Foundation
import Hummingbird
import PostgresSupport
import WatermarkAPI
import WatermarkDatabase

/// The `webhooks` operations: a user's endpoints (create with a secret shown once, list, change
/// with `If-Match`, delete), a signed `ping` to test one, the deliveries made to them, and sending
/// a DEAD delivery again. Rows are read and written in the user's row-level-security scope, so
/// another user's endpoint or delivery is simply not found (40401).
struct WebhooksHandler<Context: RequestContext>: WebhooksAPI {
    let database: Database
    let idempotency: IdempotentRequests
    /// Whether plain `http://` URLs are accepted for hosts other than loopback (development only).
    let developmentMode: Bool
    /// Which hosts an endpoint may name.
    let addresses: WebhookAddressPolicy

    init(database: Database, auth: AuthServices, configuration: ServiceConfiguration) {
        self.database = database
        idempotency = auth.idempotency
        developmentMode = configuration.developmentMode
        addresses = WebhookAddressPolicy(allowsPrivateAddresses: configuration.effectiveWebhooks.allowsPrivateAddresses == true)
    }

    func createWebhookEndpoint(_ input: Operations.CreateWebhookEndpoint.Input, context: Context) async throws -> Operations.CreateWebhookEndpoint.Output {
        typealias Failure = Operations.CreateWebhookEndpoint.Failure
        let user = input.principal.subject
        if let issue = urlIssue(input.body.url, at: "/body/url") { throw Failure.invalidArgument(details: [issue]) }
        let created = try await idempotency.run(.user(user), key: input.idempotencyKey, operation: "createWebhookEndpoint", request: input.body.json, status: 201, conflict: Failure.conflict) { context in
            let secret = Base64URL.randomToken(prefix: "whsec_")
            let row = try await WebhookEndpointRepository(context).insert(NewWebhookEndpoint(
                userId: user, url: input.body.url, events: input.body.events.map(\.rawValue), description: input.body.description ?? "", secret: secret))
            return WebhookEndpointCreated(endpoint: try WebhookEndpoint(row: row), secret: secret)
        }
        return .created(created)
    }

    func listWebhookEndpoints(_ input: Operations.ListWebhookEndpoints.Input, context: Context) async throws -> Operations.ListWebhookEndpoints.Output {
        typealias Failure = Operations.ListWebhookEndpoints.Failure
        let user = input.principal.subject
        let after = try RequestValues.keyset(input.cursor) { Failure.invalidArgument(details: $0) }
        let rows = try await database.withContext(.user(user)) { context in
            try await NamedQueries(context).listUserWebhookEndpoints(
                userId: user, afterCreatedAt: after?.0, afterId: after?.1 ?? UUID(), limit: Int64(input.limit + 1))
        }
        let next = RequestValues.nextCursor(rows, limit: input.limit) { ($0.createdAt, $0.id) }
        return .ok(WebhookEndpointPage(items: try rows.prefix(input.limit).map(WebhookEndpoint.init(row:)), nextCursor: next))
    }

    func updateWebhookEndpoint(_ input: Operations.UpdateWebhookEndpoint.Input, context: Context) async throws -> Operations.UpdateWebhookEndpoint.Output {
        typealias Failure = Operations.UpdateWebhookEndpoint.Failure
        let user = input.principal.subject
        guard let seen = RequestValues.version(ifMatch: input.ifMatch) else {
            throw Failure.invalidArgument(details: [FieldIssue(field: "/header/If-Match", reason: "is not a version")])
        }
        if let url = input.body.url, let issue = urlIssue(url, at: "/body/url") { throw Failure.invalidArgument(details: [issue]) }
        let row = try await database.withContext(.user(user)) { context in
            let endpoints = WebhookEndpointRepository(context)
            guard var row = try await endpoints.find(id: input.endpointId) else { throw Failure.notFound("no such webhook endpoint") }
            guard row.version == seen else { throw Failure.conflict("the endpoint is at version \(row.version), not \(seen); read it again") }
            if let url = input.body.url { row.url = url }
            if let events = input.body.events { row.events = events.map(\.rawValue) }
            if let description = input.body.description { row.description = description }
            if let enabled = input.body.enabled { row.enabled = enabled }
            do {
                return try await endpoints.update(row)
            } catch RepositoryError.versionConflict {
                throw Failure.conflict("the endpoint changed meanwhile; read it again")
            }
        }
        return .ok(try WebhookEndpoint(row: row))
    }

    func deleteWebhookEndpoint(_ input: Operations.DeleteWebhookEndpoint.Input, context: Context) async throws -> Operations.DeleteWebhookEndpoint.Output {
        typealias Failure = Operations.DeleteWebhookEndpoint.Failure
        let user = input.principal.subject
        // Its deliveries go with it (ON DELETE CASCADE), pending ones included.
        let deleted = try await database.withContext(.user(user)) { context in
            try await WebhookEndpointRepository(context).delete(id: input.endpointId)
        }
        guard deleted else { throw Failure.notFound("no such webhook endpoint") }
        return .noContent
    }

    func testWebhookEndpoint(_ input: Operations.TestWebhookEndpoint.Input, context: Context) async throws -> Operations.TestWebhookEndpoint.Output {
        typealias Failure = Operations.TestWebhookEndpoint.Failure
        let user = input.principal.subject
        let request = JSONValue.object(JSONObject([("endpointId", .string(input.endpointId.uuidString.lowercased()))]))
        let delivery = try await idempotency.run(.user(user), key: input.idempotencyKey, operation: "testWebhookEndpoint", request: request, status: 202, conflict: Failure.conflict) { context in
            guard let endpoint = try await WebhookEndpointRepository(context).find(id: input.endpointId) else {
                throw Failure.notFound("no such webhook endpoint")
            }
            guard endpoint.enabled else { throw Failure.preconditionFailed("the endpoint is disabled; enable it first") }
            let event = UUID()
            let body = WebhookBody.envelope(id: event, type: "ping", createdAt: Date(), data: request)
            let row = try await WebhookDeliveryRepository(context).insert(NewWebhookDelivery(
                endpointId: endpoint.id, userId: user, eventId: event, eventType: .ping, payload: body, nextAttemptAt: Date()))
            return try WebhookDelivery(row: row)
        }
        return .accepted(delivery)
    }

    func listWebhookDeliveries(_ input: Operations.ListWebhookDeliveries.Input, context: Context) async throws -> Operations.ListWebhookDeliveries.Output {
        typealias Failure = Operations.ListWebhookDeliveries.Failure
        let user = input.principal.subject
        let after = try RequestValues.keyset(input.cursor) { Failure.invalidArgument(details: $0) }
        let rows = try await database.withContext(.user(user)) { context in
            try await NamedQueries(context).listUserDeliveries(
                userId: user, endpointId: input.endpointId, status: input.status?.rawValue, eventType: input.eventType?.rawValue, afterCreatedAt: after?.0, afterId: after?.1 ?? UUID(),
                limit: Int64(input.limit + 1))
        }
        let next = RequestValues.nextCursor(rows, limit: input.limit) { ($0.createdAt, $0.id) }
        return .ok(WebhookDeliveryPage(items: try rows.prefix(input.limit).map(WebhookDelivery.init(row:)), nextCursor: next))
    }

    func retryWebhookDelivery(_ input: Operations.RetryWebhookDelivery.Input, context: Context) async throws -> Operations.RetryWebhookDelivery.Output {
        typealias Failure = Operations.RetryWebhookDelivery.Failure
        let user = input.principal.subject
        let request = JSONValue.object(JSONObject([("deliveryId", .string(input.deliveryId.uuidString.lowercased()))]))
        let delivery = try await idempotency.run(.user(user), key: input.idempotencyKey, operation: "retryWebhookDelivery", request: request, status: 202, conflict: Failure.conflict) { context in
            guard let row = try await WebhookDeliveryRepository(context).find(id: input.deliveryId) else { throw Failure.notFound("no such delivery") }
            guard let revived = try await NamedQueries(context).reviveWebhookDelivery(id: row.id) else {
                throw Failure.preconditionFailed("only a DEAD delivery is sent again; this one is \(row.status)")
            }
            return try WebhookDelivery(row: revived)
        }
        return .accepted(delivery)
    }

    /// What is wrong with a webhook URL beyond its schema: it must be absolute with a host, not a
    /// non-public address (`WebhookAddressPolicy`), and `https` unless the host is loopback or the
    /// service runs in development mode.
    func urlIssue(_ text: String, at field: String) -> FieldIssue? {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), let host = url.host, !host.isEmpty else {
            return FieldIssue(field: field, reason: "is not an absolute http(s) URL with a host")
        }
        if let refused = addresses.refusal(ofLiteralHost: host) { return FieldIssue(field: field, reason: refused) }
        let loopback = host == "localhost" || host == "::1" || host == "[::1]" || host.hasPrefix("127.")
        if scheme == "http", !loopback, !developmentMode {
            return FieldIssue(field: field, reason: "must use https (http only for loopback addresses)")
        }
        return nil
    }


}
