import ContractRuntime
import Crypto
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import PostgresNIO
import ServiceLifecycle
import Testing
import WatermarkAPI
import WatermarkDatabase
@testable import WatermarkService

/// Webhooks over real PostgreSQL and a real HTTP receiver: the outbox dispatcher fans task events
/// out to subscribed endpoints, the sender signs and POSTs them, retries after failures and gives
/// up (DEAD, dead letter) after the last attempt; endpoints are managed through the API.
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

    /// Creates an endpoint for `events` at `url`; returns it with its secret.
    static func endpoint(_ client: some TestClientProtocol, _ token: String, url: String, events: [String]) async throws -> WebhookEndpointCreated {
        let list = events.map { "\"\($0)\"" }.joined(separator: ",")
        let created = try await client.send(.post, "/v1/webhooks/endpoints", json: #"{"url":"\#(url)","events":[\#(list)],"description":"test"}"#, key: "endpoint-\(UUID())", token: token)
        #expect(created.status == .created)
        return try ServiceHarness.data(created, as: WebhookEndpointCreated.self)
    }

    /// Creates a `ping` endpoint at `url` for `receiver` and queues a test ping to it; returns the ping's response.
    static func pinged(_ client: some TestClientProtocol, _ token: String, url: String, receiver: WebhookReceiver) async throws -> TestResponse {
        let endpoint = try await Self.endpoint(client, token, url: url, events: ["ping"])
        receiver.accept(secret: endpoint.secret)
        let ping = try await client.send(.post, "/v1/webhooks/endpoints/\(endpoint.endpoint.id)/test", key: "ping-\(UUID())", token: token)
        #expect(ping.status == .accepted)
        return ping
    }

    /// Waits until the user's deliveries include one in `status`, and returns it.
    static func delivery(_ client: some TestClientProtocol, _ token: String, status: String, timeout: Duration = .seconds(30)) async throws -> WebhookDelivery? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let page = try ServiceHarness.data(try await client.send(.get, "/v1/webhooks/deliveries?status=\(status)", token: token), as: WebhookDeliveryPage.self)
            if let first = page.items.first { return first }
            try await Task.sleep(for: .milliseconds(25))
        }
        return nil
    }

    @Test func aReceiverAnswering503Then200GetsTheEventTwiceAndActsOnce() async throws {
        let receiver = WebhookReceiver(replies: [503])
        try await Self.listening(receiver) { url in
            try await ServiceHarness.with { app, harness in
                try await app.test(.router) { client in
                    let token = try await TaskWorkerTests.user(client)
                    let endpoint = try await Self.endpoint(client, token, url: url, events: ["task.created"])
                    #expect(endpoint.secret.hasPrefix("whsec_") && endpoint.secret.count > 40)
                    receiver.accept(secret: endpoint.secret)
                    let (_, task) = try await TaskWorkerTests.task(client, token: token)
                    let metrics = ServiceMetrics()
                    var delivered: [WebhookDelivery] = []
                    try await TaskWorkerTests.running(Self.services(harness, metrics: metrics)) {
                        let deadline = ContinuousClock.now + .seconds(30)
                        while delivered.isEmpty, ContinuousClock.now < deadline {
                            delivered = try ServiceHarness.data(
                                try await client.send(.get, "/v1/webhooks/deliveries?status=DELIVERED", token: token), as: WebhookDeliveryPage.self).items
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
                    let token = try await TaskWorkerTests.user(client)
                    let ping = try await Self.pinged(client, token, url: url, receiver: receiver)
                    #expect(try ServiceHarness.data(ping, as: WebhookDelivery.self).status == .pending)
                    var dead: WebhookDelivery?
                    try await TaskWorkerTests.running(Self.services(harness)) {
                        dead = try await Self.delivery(client, token, status: "DEAD")
                    }
                    #expect(dead?.attempts == 3 && dead?.failureCode == "http_500" && dead?.lastStatusCode == 500 && dead?.nextAttemptAt == nil)
                    let letters = try await harness.admin.query("SELECT context->>'deliveryId', error_code FROM dead_letters WHERE source = 'WEBHOOK'")
                    var found: [(String?, Int32)] = []
                    for try await row in letters.decode((String?, Int32).self) { found.append(row) }
                    #expect(found.count == 1 && found.first?.0 == dead?.id.uuidString.lowercased() && found.first?.1 == 50301)

                    // Sent again by hand: PENDING with its attempts counted afresh, then delivered.
                    let deadID = try #require(dead?.id)
                    let retried = try ServiceHarness.data(
                        try await client.send(.post, "/v1/webhooks/deliveries/\(deadID)/retry", key: "retry-\(UUID())", token: token), as: WebhookDelivery.self)
                    #expect(retried.status == .pending && retried.attempts == 0)
                    var delivered: WebhookDelivery?
                    try await TaskWorkerTests.running(Self.services(harness)) {
                        delivered = try await Self.delivery(client, token, status: "DELIVERED")
                    }
                    #expect(delivered?.id == deadID && delivered?.attempts == 1)
                    #expect(receiver.effects.count == 1, "the ping was acted on once over four requests")
                    let again = try await client.send(.post, "/v1/webhooks/deliveries/\(deadID)/retry", key: "retry-\(UUID())", token: token)
                    try TaskLifecycleTests.expect(again, .unprocessableContent, 42201)
                }
            }
        }
    }

    @Test func nonPublicAddressesAreRefusedUnlessAllowed() async throws {
        try await ServiceHarness.with({ $0.developmentMode = false; $0.webhooks.allowsPrivateAddresses = false }) { app, _ in
            try await app.test(.router) { client in
                let token = try await TaskWorkerTests.user(client)
                for url in [
                    "https://10.1.2.3/hook", "https://169.254.169.254/latest", "https://[::1]:8443/x", "https://localhost/x",
                    "http://127.0.0.1:9/local", "https://[::ffff:192.168.0.1]/x",
                ] {
                    let refused = try await client.send(.post, "/v1/webhooks/endpoints", json: #"{"url":"\#(url)","events":["ping"]}"#, key: "e-\(UUID())", token: token)
                    try TaskLifecycleTests.expect(refused, .badRequest, 40001)
                    let text = String(buffer: refused.body)
                    #expect(text.contains("/body/url") && (text.contains("non-public address") || text.contains("this machine")), "\(url)")
                }
                _ = try await Self.endpoint(client, token, url: "https://93.184.215.14/hook", events: ["ping"])
            }
        }
    }

    @Test func aDeliveryToANonPublicAddressFailsAtOnceWithoutARequest() async throws {
        let receiver = WebhookReceiver()
        try await Self.listening(receiver) { url in
            try await ServiceHarness.with { app, harness in
                try await app.test(.router) { client in
                    let token = try await TaskWorkerTests.user(client)
                    // Saved while private addresses are allowed (development), delivered once they are not.
                    _ = try await Self.pinged(client, token, url: url, receiver: receiver)
                    var strict = Self.settings
                    strict.allowsPrivateAddresses = false
                    var dead: WebhookDelivery?
                    try await TaskWorkerTests.running(Self.services(harness, settings: strict)) {
                        dead = try await Self.delivery(client, token, status: "DEAD")
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
                    let token = try await TaskWorkerTests.user(client)
                    // By name: resolved, checked (loopback counts as allowed here) and connected to the checked address.
                    _ = try await Self.pinged(client, token, url: url.replacingOccurrences(of: "127.0.0.1", with: "localhost"), receiver: receiver)
                    var strict = Self.settings
                    strict.allowsPrivateAddresses = false
                    var sender = WebhookSender(database: harness.database, settings: strict, metrics: ServiceMetrics(), logger: Logger(label: "webhooks"))
                    sender.addressAllowed = { $0 == [127, 0, 0, 1] || $0 == Array(repeating: 0, count: 15) + [1] }
                    var delivered: WebhookDelivery?
                    try await TaskWorkerTests.running([sender]) {
                        delivered = try await Self.delivery(client, token, status: "DELIVERED")
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
                let token = try await TaskWorkerTests.user(client)
                let other = try await TaskWorkerTests.user(client)
                let insecure = try await client.send(.post, "/v1/webhooks/endpoints", json: #"{"url":"http://hooks.example.com/x","events":["ping"]}"#, key: "e-\(UUID())", token: token)
                try TaskLifecycleTests.expect(insecure, .badRequest, 40001)
                #expect(String(buffer: insecure.body).contains("/body/url"))
                let created = try await Self.endpoint(client, token, url: "https://hooks.example.com/watermark", events: ["task.succeeded"])
                let id = created.endpoint.id
                _ = try await Self.endpoint(client, token, url: "http://127.0.0.1:9/local", events: ["ping"])
                let page = try ServiceHarness.data(try await client.send(.get, "/v1/webhooks/endpoints?limit=1", token: token), as: WebhookEndpointPage.self)
                #expect(page.items.count == 1 && page.nextCursor != nil)
                let rest = try ServiceHarness.data(try await client.send(.get, "/v1/webhooks/endpoints?limit=1&cursor=\(page.nextCursor!)", token: token), as: WebhookEndpointPage.self)
                #expect(rest.items.map(\.id) == [id] && rest.nextCursor == nil)

                let disable = #"{"enabled":false}"#
                let updated = try await client.send(.patch, "/v1/webhooks/endpoints/\(id)", json: disable, token: token, headers: ["If-Match": "\"1\""])
                let endpoint = try ServiceHarness.data(updated, as: WebhookEndpoint.self)
                #expect(!endpoint.enabled && endpoint.version == 2 && endpoint.events == [.taskSucceeded])
                try TaskLifecycleTests.expect(try await client.send(.patch, "/v1/webhooks/endpoints/\(id)", json: disable, token: token, headers: ["If-Match": "\"1\""]), .conflict, 40901)
                try TaskLifecycleTests.expect(try await client.send(.patch, "/v1/webhooks/endpoints/\(id)", json: disable, token: other, headers: ["If-Match": "\"2\""]), .notFound, 40401)
                try TaskLifecycleTests.expect(try await client.send(.post, "/v1/webhooks/endpoints/\(id)/test", key: "t-\(UUID())", token: token), .unprocessableContent, 42201)
                try TaskLifecycleTests.expect(try await client.send(.delete, "/v1/webhooks/endpoints/\(id)", token: other), .notFound, 40401)
                #expect(try await client.send(.delete, "/v1/webhooks/endpoints/\(id)", token: token).status == .noContent)
                try TaskLifecycleTests.expect(try await client.send(.delete, "/v1/webhooks/endpoints/\(id)", token: token), .notFound, 40401)
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
