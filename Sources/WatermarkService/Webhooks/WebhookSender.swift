import AsyncHTTPClient
import ContractRuntime
import Crypto
import Foundation
import Logging
import NIOCore
import PostgresSupport
import ServiceLifecycle
import WatermarkAPI
import WatermarkDatabase
import WebhookVerification

/// Sends PENDING webhook deliveries: leases a batch of due ones (each counted as an attempt and
/// hidden from other senders while it is sent, so processes share the work), POSTs each signed
/// body outside any transaction, and records the outcome with the headers sent and the payload's
/// SHA-256: DELIVERED on a 2xx; otherwise a failure code and the next attempt after the backoff,
/// or DEAD with a dead letter once `maxAttempts` are used. A sender that dies mid-request leaves
/// the delivery to be tried again when its lease runs out (at least once: receivers de-duplicate
/// on `X-Webhook-Id`).
struct WebhookSender: Service {
    let database: Database
    let settings: WebhookSettings
    let metrics: ServiceMetrics
    let logger: Logger
    /// Which resolved addresses pass when private ones are refused (tests widen it).
    var addressAllowed: @Sendable ([UInt8]) -> Bool = WebhookAddressPolicy.isPublic

    /// What became of one attempt.
    struct Attempt: Sendable {
        var statusCode: Int?
        /// nil when delivered.
        var failureCode: String?
        var error: String?
        var headers: [(String, String)]
        var payloadSHA256: String
        /// A failure that another attempt cannot fix (a URL that cannot be requested).
        var permanent = false
    }

    /// Redirects are not followed (a receiver could point them anywhere); 5 s to connect.
    static var clientConfiguration: HTTPClient.Configuration {
        HTTPClient.Configuration(redirectConfiguration: .disallow, timeout: .init(connect: .seconds(5)))
    }

    /// Which addresses deliveries may reach.
    var addresses: WebhookAddressPolicy { WebhookAddressPolicy(allowsPrivateAddresses: settings.allowsPrivateAddresses == true, isAllowed: addressAllowed) }

    func run() async throws {
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: Self.clientConfiguration)
        do {
            while !Task.isShuttingDownGracefully, !Task.isCancelled {
                var sent = 0
                do {
                    sent = try await sendDue(with: client)
                } catch is CancellationError {
                    break
                } catch {
                    logger.warning("sending webhooks failed", metadata: ["error": "\(String(reflecting: error))"])
                }
                if sent == 0 {
                    try? await cancelWhenGracefulShutdown { try await Task.sleep(for: settings.pollInterval) }
                }
            }
        }
        try await client.shutdown()
    }

    /// Sends one batch of due deliveries at once; returns how many.
    @discardableResult
    func sendDue(with client: HTTPClient) async throws -> Int {
        let hide = Double(settings.requestTimeout.components.seconds) + 30
        let due = try await database.withContext(.system) { context in
            try await NamedQueries(context).leaseDueWebhookDeliveries(limit: Int64(settings.concurrency), hideSeconds: hide)
        }
        await withTaskGroup(of: Void.self) { group in
            for delivery in due {
                group.addTask {
                    let attempt = await send(delivery, with: client)
                    do {
                        try await record(attempt, of: delivery)
                    } catch {
                        logger.error("recording a webhook attempt failed", metadata: ["delivery_id": "\(delivery.id)", "error": "\(String(reflecting: error))"])
                    }
                }
            }
        }
        return due.count
    }

    /// POSTs the delivery's stored body, signed for this attempt.
    func send(_ delivery: LeaseDueWebhookDeliveriesRow, with client: HTTPClient) async -> Attempt {
        let body = JSONSerializer.serialize(delivery.payload)
        let digest = SHA256.hash(data: body).hexDigits
        let timestamp = Int64(Date().timeIntervalSince1970)
        let headers = [
            ("Content-Type", "application/json"), ("User-Agent", "watermark-webhooks/1"),
            (WebhookSignature.idHeader, delivery.eventId.uuidString.lowercased()),
            (WebhookSignature.timestampHeader, String(timestamp)),
            (WebhookSignature.keyIDHeader, WebhookSignature.keyID(of: delivery.secret)),
            (WebhookSignature.signatureHeader, WebhookSignature.sign(secret: delivery.secret, timestamp: timestamp, body: body)),
        ]
        var attempt = Attempt(headers: headers, payloadSHA256: digest)
        let host = URL(string: delivery.url)?.host
        var destination = WebhookAddressPolicy.Destination.unchecked
        if let host {
            do {
                destination = try await addresses.destination(of: host)
            } catch {
                (attempt.failureCode, attempt.error) = ("dns", String(String(describing: error).prefix(1_000)))
                return attempt
            }
            if case .refused(let reason) = destination {
                (attempt.failureCode, attempt.permanent, attempt.error) = ("blocked_address", true, reason)
                return attempt
            }
        }
        var request = HTTPClientRequest(url: delivery.url)
        request.method = .POST
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(bytes: body))
        // A checked address is used for this request only: a client of its own connects there.
        var pinned: HTTPClient?
        if case .pinned(let address) = destination, let host {
            var configuration = Self.clientConfiguration
            configuration.dnsOverride = [host: address]
            pinned = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        }
        do {
            let response = try await (pinned ?? client).execute(request, timeout: .init(settings.requestTimeout))
            let code = Int(response.status.code)
            attempt.statusCode = code
            let reply = try? await response.body.collect(upTo: 4_096)
            if !(200..<300).contains(code) {
                attempt.failureCode = "http_\(code)"
                let text = reply.map { String(buffer: $0) } ?? ""
                attempt.error = String((text.isEmpty ? response.status.reasonPhrase : text).prefix(1_000))
            }
        } catch {
            (attempt.failureCode, attempt.permanent) = Self.classify(error)
            attempt.error = String(String(describing: error).prefix(1_000))
        }
        try? await pinned?.shutdown()
        return attempt
    }

    /// The failure code of a request that got no answer, and whether retrying is pointless.
    static func classify(_ error: any Error) -> (String, Bool) {
        if let error = error as? HTTPClientError {
            switch error {
            case .invalidURL, .emptyHost, .emptyScheme: return ("invalid_url", true)
            case .connectTimeout, .readTimeout, .writeTimeout, .deadlineExceeded: return ("timeout", false)
            case .tlsHandshakeTimeout: return ("tls", false)
            default: break
            }
            if "\(error)".contains("unsupportedScheme") { return ("invalid_url", true) }
        }
        let text = String(reflecting: error)
        if text.contains("SSL") || text.contains("TLS") || text.contains("certificate") { return ("tls", false) }
        return ("connect", false)
    }

    /// Stores how the attempt went: DELIVERED, or the next attempt, or DEAD with a dead letter.
    func record(_ attempt: Attempt, of delivery: LeaseDueWebhookDeliveriesRow) async throws {
        let headers = JSONValue.object(JSONObject(attempt.headers.map { ($0.0, JSONValue.string($0.1)) }))
        let status = attempt.statusCode.map(Int32.init)
        guard let failure = attempt.failureCode else {
            _ = try await database.withContext(.system) { context in
                try await NamedQueries(context).recordWebhookDelivered(
                    id: delivery.id, lastStatusCode: status, requestHeaders: headers, payloadSha256: attempt.payloadSHA256)
            }
            metrics.webhookAttempt(delivered: true, retried: false)
            return
        }
        let dead = attempt.permanent || Int(delivery.attempts) >= settings.maxAttempts
        let next = dead ? nil : Date().addingTimeInterval(settings.retry.delay(afterFailure: Int(delivery.attempts)))
        let letterWritten = try await database.withContext(.system) { context -> Bool in
            let recorded = try await NamedQueries(context).recordWebhookFailure(
                id: delivery.id, lastStatusCode: status, lastError: attempt.error, failureCode: failure, requestHeaders: headers,
                payloadSha256: attempt.payloadSHA256, nextAttemptAt: next)
            if dead, recorded == 1 {
                _ = try await DeadLetterRepository(context).insert(NewDeadLetter(
                    source: .webhook, userId: delivery.userId, errorCode: Int32(ErrorCode.dependencyUnavailable.rawValue),
                    errorMessage: "the \(delivery.eventType) webhook to \(delivery.url) failed \(delivery.attempts) times (\(failure))",
                    context: .object(JSONObject([
                        ("deliveryId", .string(delivery.id.uuidString.lowercased())), ("endpointId", .string(delivery.endpointId.uuidString.lowercased())),
                        ("eventId", .string(delivery.eventId.uuidString.lowercased())), ("attempts", .integer(Int64(delivery.attempts))),
                        ("failureCode", .string(failure)), ("lastStatusCode", status.map { .integer(Int64($0)) } ?? .null),
                    ]))))
                return true
            }
            return false
        }
        if letterWritten { metrics.deadLetterWritten(source: "WEBHOOK") }
        metrics.webhookAttempt(delivered: false, retried: !dead)
        logger.warning(
            dead ? "a webhook delivery is DEAD" : "a webhook attempt failed; retrying",
            metadata: ["delivery_id": "\(delivery.id)", "attempt": "\(delivery.attempts)", "failure": "\(failure)"])
    }
}
