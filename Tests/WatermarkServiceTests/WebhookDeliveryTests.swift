import ContractRuntime
import struct ContractClient.ErrorAnswer
import Crypto
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import PostgresNIO
import ServiceLifecycle
import Testing
import WatermarkClient
import WatermarkDatabase
@testable import WatermarkService

/// Webhooks over real PostgreSQL and a real HTTP receiver: the outbox dispatcher fans task events
/// out to subscribed endpoints, the sender signs and POSTs them, retries after failures and gives
/// up (DEAD, dead letter) after the last attempt; endpoints are managed through the generated client.
@Suite(.serialized) struct WebhookDeliveryTests {
    static let settings = WebhookSettings(
        maxAttempts: 3, retry: WebhookRetrySchedule(windows: [0.05, 0.1]), requestTimeout: .seconds(5), concurrency: 4, outboxAttempts: 3,
        outboxRetry: RetryPolicy(baseDelay: 0.05), pollInterval: .milliseconds(20), allowsPrivateAddresses: true)

    /// The dispatcher and the sender of the harness's service.
    static func services(_ harness: ServiceHarness, metrics: ServiceMetrics = ServiceMetrics(), settings: WebhookSettings = settings, consumers: [any OutboxConsumer] = [WebhookFanOut()]) -> [any Service] {
        [
            OutboxDispatcher(database: harness.database, consumers: consumers, settings: settings, logger: Logger(label: "outbox")),
            WebhookSender(database: harness.database, settings: settings, metrics: metrics, logger: Logger(label: "webhooks")),
        ]
    }

    /// Runs `body` with `receiver` listening on a local port; `body` gets its URL.
    static func listening(_ receiver: WebhookReceiver, _ body: @Sendable (String) async throws -> Void) async throws {
        let app = Application(router: receiver.router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            try await body("http://127.0.0.1:\(client.port!)/hook")
        }
    }

    /// Creates an endpoint for `events` at `url` through the client; returns it with its secret.
    static func endpoint(_ api: APIClient, url: String, events: [WebhookEventType]) async throws -> WebhookEndpointCreated {
        try await api.createWebhookEndpoint(
            idempotencyKey: "endpoint-\(UUID())", body: CreateWebhookEndpointRequest(url: url, events: events, description: "test")
        ).body
    }

    /// Creates an endpoint for `events` (by name) at `url` for the user `token` signs in; returns it with its secret.
    static func endpoint(_ client: some TestClientProtocol, _ token: String, url: String, events: [String]) async throws -> WebhookEndpointCreated {
        var types: [WebhookEventType] = []
        for event in events { types.append(try #require(WebhookEventType(rawValue: event), "no webhook event \(event)")) }
        return try await Self.endpoint(APIClient.inProcess(client, token: token), url: url, events: types)
    }

    /// Creates a `ping` endpoint at `url` for `receiver` and queues a test ping to it; returns the ping's delivery.
    static func pinged(_ api: APIClient, url: String, receiver: WebhookReceiver) async throws -> WebhookDelivery {
        let endpoint = try await Self.endpoint(api, url: url, events: [.ping])
        receiver.accept(secret: endpoint.secret)
        return try await api.testWebhookEndpoint(endpointId: endpoint.endpoint.id, idempotencyKey: "ping-\(UUID())").body
    }

    /// Waits until the user's deliveries include one in `status`, and returns it.
    static func delivery(_ api: APIClient, status: DeliveryStatus, timeout: Duration = .seconds(30)) async throws -> WebhookDelivery? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let first = try await api.listWebhookDeliveries(status: status).body.items.first { return first }
            try await Task.sleep(for: .milliseconds(25))
        }
        return nil
    }

    /// Waits until the deliveries of the user `token` signs in include one in `status` (by name), and returns it.
    static func delivery(_ client: some TestClientProtocol, _ token: String, status: String, timeout: Duration = .seconds(30)) async throws -> WebhookDelivery? {
        let wanted = try #require(DeliveryStatus(rawValue: status), "no delivery status \(status)")
        return try await Self.delivery(APIClient.inProcess(client, token: token), status: wanted, timeout: timeout)
    }

    @Test func aReceiverAnswering503Then200GetsTheEventTwiceAndActsOnce() async throws {
        let receiver = WebhookReceiver(replies: [503])
        try await Self.listening(receiver) { url in
            try await ServiceHarness.with { app, harness in
                try await app.test(.router) { client in
                    let ada = try await ServiceUser.register(client)
                    let endpoint = try await Self.endpoint(ada.api, url: url, events: [.taskCreated])
                    #expect(endpoint.secret.hasPrefix("whsec_") && endpoint.secret.count > 40)
                    receiver.accept(secret: endpoint.secret)
                    let task = try await ada.task(asset: try await ada.uploadedAsset(), mask: .cornerBox)
                    let metrics = ServiceMetrics()
                    var delivered: [WebhookDelivery] = []
                    try await TaskWorkerTests.running(Self.services(harness, metrics: metrics)) {
                        let deadline = ContinuousClock.now + .seconds(30)
                        while delivered.isEmpty, ContinuousClock.now < deadline {
                            delivered = try await ada.api.listWebhookDeliveries(status: .delivered).body.items
                            try await Task.sleep(for: .milliseconds(25))
                        }
                    }
                    // task.created, acted on once although it came twice (the first answer was 503).
                    #expect(delivered.map(\.eventType) == [.taskCreated])
                    #expect(receiver.effects.count == 1 && receiver.refusals.isEmpty)
                    #expect(receiver.received.count == 2 && receiver.received.map(\.isRepeat) == [false, true])
                    let retried = try #require(delivered.first { $0.attempts == 2 })
                    #expect(retried.lastStatusCode == 200 && retried.failureCode == nil && retried.deliveredAt != nil)
                    let body = try #require(receiver.received.last { $0.headers["X-Webhook-Id"] == retried.eventId.uuidString.lowercased() }).body
                    #expect(retried.payloadSha256 == SHA256.hash(data: body).map { String(format: "%02x", $0) }.joined())
                    guard case .object(let json) = try JSONParser.parse(body) else { Issue.record("not JSON"); return }
                    #expect(json["type"] == .string(retried.eventType.rawValue) && json["id"] == .string(retried.eventId.uuidString.lowercased()))
                    guard case .object(let data)? = json["data"] else { Issue.record("no data"); return }
                    #expect(data["taskId"] == .string(task.id.uuidString.lowercased()))
                    let headers = try await harness.admin.query("SELECT request_headers->>'X-Webhook-Signature' FROM webhook_deliveries WHERE id = \(retried.id)")
                    for try await signature in headers.decode(String?.self) { #expect(signature?.hasPrefix("v1=") == true) }
                    let exposition = String(decoding: metrics.exposition(), as: UTF8.self)
                    #expect(exposition.contains("webhook_retry_total 1") && exposition.contains("webhook_success_rate"))
                }
            }
        }
    }

    @Test func aDeliveryThatKeepsFailingIsDeadAndCanBeSentAgainByHand() async throws {
        let receiver = WebhookReceiver(replies: [500, 500, 500])
        try await Self.listening(receiver) { url in
            try await ServiceHarness.with { app, harness in
                try await app.test(.router) { client in
                    let ada = try await ServiceUser.register(client)
                    let ping = try await Self.pinged(ada.api, url: url, receiver: receiver)
                    #expect(ping.status == .pending)
                    var dead: WebhookDelivery?
                    try await TaskWorkerTests.running(Self.services(harness)) {
                        dead = try await Self.delivery(ada.api, status: .dead)
                    }
                    #expect(dead?.attempts == 3 && dead?.failureCode == "http_500" && dead?.lastStatusCode == 500 && dead?.nextAttemptAt == nil)
                    let letters = try await harness.admin.query("SELECT context->>'deliveryId', error_code FROM dead_letters WHERE source = 'WEBHOOK'")
                    var found: [(String?, Int32)] = []
                    for try await row in letters.decode((String?, Int32).self) { found.append(row) }
                    #expect(found.count == 1 && found.first?.0 == dead?.id.uuidString.lowercased() && found.first?.1 == 50301)

                    // Sent again by hand: PENDING with its attempts counted afresh, then delivered.
                    let deadID = try #require(dead?.id)
                    let retried = try await ada.api.retryWebhookDelivery(deliveryId: deadID, idempotencyKey: "retry-\(UUID())").body
                    #expect(retried.status == .pending && retried.attempts == 0)
                    var delivered: WebhookDelivery?
                    try await TaskWorkerTests.running(Self.services(harness)) {
                        delivered = try await Self.delivery(ada.api, status: .delivered)
                    }
                    #expect(delivered?.id == deadID && delivered?.attempts == 1)
                    #expect(receiver.effects.count == 1, "the ping was acted on once over four requests")
                    await expectFailure(42201, status: 422) { try await ada.api.retryWebhookDelivery(deliveryId: deadID, idempotencyKey: "retry-\(UUID())") }
                }
            }
        }
    }

    /// The 40001 answer to an endpoint at `url`.
    static func refusal(_ user: ServiceUser, url: String) async -> ErrorAnswer? {
        await expectFailure(40001, status: 400) {
            try await user.api.createWebhookEndpoint(idempotencyKey: "e-\(UUID())", body: CreateWebhookEndpointRequest(url: url, events: [.ping]))
        }
    }

    @Test func nonPublicAddressesAreRefusedUnlessAllowed() async throws {
        try await ServiceHarness.with({ $0.developmentMode = false; $0.webhooks.allowsPrivateAddresses = false }) { app, _ in
            try await app.test(.router) { client in
                let ada = try await ServiceUser.register(client)
                for url in [
                    "https://10.1.2.3/hook", "https://169.254.169.254/latest", "https://[::1]:8443/x", "https://localhost/x",
                    "http://127.0.0.1:9/local", "https://[::ffff:192.168.0.1]/x",
                ] {
                    // Within the contract (the client sends it); the service's address policy refuses it.
                    let refused = await Self.refusal(ada, url: url)
                    let issue = refused?.details.first { $0.field == "/body/url" }
                    #expect(issue.map { $0.reason.contains("non-public address") || $0.reason.contains("this machine") } == true, "\(url): \(String(describing: refused))")
                }
                _ = try await Self.endpoint(ada.api, url: "https://93.184.215.14/hook", events: [.ping])
            }
        }
    }

    @Test func aDeliveryToANonPublicAddressFailsAtOnceWithoutARequest() async throws {
        let receiver = WebhookReceiver()
        try await Self.listening(receiver) { url in
            try await ServiceHarness.with { app, harness in
                try await app.test(.router) { client in
                    let ada = try await ServiceUser.register(client)
                    // Saved while private addresses are allowed (development), delivered once they are not.
                    _ = try await Self.pinged(ada.api, url: url, receiver: receiver)
                    var strict = Self.settings
                    strict.allowsPrivateAddresses = false
                    var dead: WebhookDelivery?
                    try await TaskWorkerTests.running(Self.services(harness, settings: strict)) {
                        dead = try await Self.delivery(ada.api, status: .dead)
                    }
                    #expect(dead?.attempts == 1 && dead?.failureCode == "blocked_address" && dead?.lastStatusCode == nil)
                    #expect(dead?.lastError?.contains("127.0.0.1") == true)
                    #expect(receiver.received.isEmpty)
                }
            }
        }
    }

    @Test func aDeliveryGoesToTheAddressThatWasChecked() async throws {
        let receiver = WebhookReceiver()
        try await Self.listening(receiver) { url in
            try await ServiceHarness.with { app, harness in
                try await app.test(.router) { client in
                    let ada = try await ServiceUser.register(client)
                    // By name: resolved, checked (loopback counts as allowed here) and connected to the checked address.
                    _ = try await Self.pinged(ada.api, url: url.replacingOccurrences(of: "127.0.0.1", with: "localhost"), receiver: receiver)
                    var strict = Self.settings
                    strict.allowsPrivateAddresses = false
                    var sender = WebhookSender(database: harness.database, settings: strict, metrics: ServiceMetrics(), logger: Logger(label: "webhooks"))
                    sender.addressAllowed = { $0 == [127, 0, 0, 1] || $0 == Array(repeating: 0, count: 15) + [1] }
                    var delivered: WebhookDelivery?
                    try await TaskWorkerTests.running([sender]) {
                        delivered = try await Self.delivery(ada.api, status: .delivered)
                    }
                    #expect(delivered?.attempts == 1 && delivered?.lastStatusCode == 200)
                    #expect(receiver.received.count == 1)
                }
            }
        }
    }

    @Test func endpointsAreTheirOwnersToChange() async throws {
        // Production's http rule, with private addresses allowed explicitly (a loopback endpoint is made below).
        try await ServiceHarness.with({ $0.developmentMode = false; $0.webhooks.allowsPrivateAddresses = true }) { app, _ in
            try await app.test(.router) { client in
                let ada = try await ServiceUser.register(client)
                let bob = try await ServiceUser.register(client, email: "bob@example.com", displayName: "Bob")
                // Within the contract (the client sends it); the service refuses http to a public host in production.
                let insecure = await expectFailure(40001, status: 400) {
                    try await ada.api.createWebhookEndpoint(
                        idempotencyKey: "e-\(UUID())", body: CreateWebhookEndpointRequest(url: "http://hooks.example.com/x", events: [.ping]))
                }
                #expect(insecure?.details.contains { $0.field == "/body/url" } == true, "\(String(describing: insecure))")
                let created = try await Self.endpoint(ada.api, url: "https://hooks.example.com/watermark", events: [.taskSucceeded])
                let id = created.endpoint.id
                _ = try await Self.endpoint(ada.api, url: "http://127.0.0.1:9/local", events: [.ping])
                let page = try await ada.api.listWebhookEndpoints(limit: 1).body
                #expect(page.items.count == 1 && page.nextCursor != nil)
                let next: String = try #require(page.nextCursor)
                let rest = try await ada.api.listWebhookEndpoints(cursor: next, limit: 1).body
                #expect(rest.items.map(\.id) == [id] && rest.nextCursor == nil)

                let disable = UpdateWebhookEndpointRequest(enabled: false)
                let endpoint = try await ada.api.updateWebhookEndpoint(endpointId: id, ifMatch: #""1""#, body: disable).body
                #expect(!endpoint.enabled && endpoint.version == 2 && endpoint.events == [.taskSucceeded])
                await expectFailure(40901, status: 409) { try await ada.api.updateWebhookEndpoint(endpointId: id, ifMatch: #""1""#, body: disable) }
                await expectFailure(40401, status: 404) { try await bob.api.updateWebhookEndpoint(endpointId: id, ifMatch: #""2""#, body: disable) }
                await expectFailure(42201, status: 422) { try await ada.api.testWebhookEndpoint(endpointId: id, idempotencyKey: "t-\(UUID())") }
                await expectFailure(40401, status: 404) { try await bob.api.deleteWebhookEndpoint(endpointId: id) }
                _ = try await ada.api.deleteWebhookEndpoint(endpointId: id)  // its one success answer: 204 No Content
                await expectFailure(40401, status: 404) { try await ada.api.deleteWebhookEndpoint(endpointId: id) }
            }
        }
    }
}

@Suite struct WebhookRetryScheduleTests {
    @Test func thePlansWindowsAreTheDefaultAndMakeSevenAttempts() {
        let settings = WebhookSettings()
        #expect(settings.retry.windows == [60, 120, 300, 900, 1_800, 3_600])
        #expect(settings.maxAttempts == settings.retry.windows.count + 1)
        #expect((1...6).map { settings.retry.delay(afterFailure: $0, spread: 0) } == [60, 120, 300, 900, 1_800, 3_600])
        #expect(settings.retry.delay(afterFailure: 9, spread: 0) == 3_600, "past the end: the last window")
        #expect(settings.retry.delay(afterFailure: 1, spread: 1) == 66 && settings.retry.delay(afterFailure: 1, spread: -1) == 54)
    }

    @Test func aScheduleIsReadFromTheEnvironment() throws {
        #expect(WebhookRetrySchedule(parsing: "1m,2m,5m,15m,30m,60m")?.windows == [60, 120, 300, 900, 1_800, 3_600])
        #expect(WebhookRetrySchedule(parsing: "50ms, 2s, 3, 1h")?.windows == [0.05, 2, 3, 3_600])
        #expect(WebhookRetrySchedule(parsing: "") == nil && WebhookRetrySchedule(parsing: "1m,soon") == nil && WebhookRetrySchedule(parsing: "-1s") == nil)
        let configured = try ServiceConfiguration.fromEnvironment(["WEBHOOK_RETRY_SCHEDULE": "1s,2s"])
        #expect(configured.webhooks.retry.windows == [1, 2])
        #expect(throws: ServiceConfiguration.Invalid.self) { try ServiceConfiguration.fromEnvironment(["WEBHOOK_RETRY_SCHEDULE": "later"]) }
    }
}
