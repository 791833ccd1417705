import Foundation
import HTTPTypes
import Hummingbird
import Synchronization
import WebhookVerification

/// A webhook receiver on a real port, written as a customer would with the shipped helper: it
/// verifies each POST (`WebhookVerifier`), acts on each event once, and answers with the statuses
/// queued in `replies` (then 200). Refused requests are answered 401.
final class WebhookReceiver: Sendable {
    struct Received: Sendable {
        var headers: [String: String]
        var body: [UInt8]
        var isRepeat: Bool
    }

    private struct State {
        var verifier: WebhookVerifier?
        var replies: [Int]
        var received: [Received] = []
        var effects: [String] = []
        var refusals: [String] = []
    }

    private let state: Mutex<State>

    init(replies: [Int] = []) {
        state = Mutex(State(replies: replies))
    }

    /// The endpoint's secret, once it is known (the response to creating the endpoint).
    func accept(secret: String) { state.withLock { $0.verifier = WebhookVerifier(secrets: [secret]) } }
    func reply(_ statuses: [Int]) { state.withLock { $0.replies = statuses } }
    var received: [Received] { state.withLock { $0.received } }
    /// The event ids acted on, once each.
    var effects: [String] { state.withLock { $0.effects } }
    var refusals: [String] { state.withLock { $0.refusals } }

    var router: Router<BasicRequestContext> {
        let router = Router()
        router.post("/hook") { request, _ -> Response in
            let body = Array(try await request.body.collect(upTo: 1 << 20).readableBytesView)
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.rawName] = field.value }
            return self.state.withLock { state in
                do {
                    guard let verifier = state.verifier else { throw WebhookVerificationError.unknownKey("none yet") }
                    let webhook = try verifier.verify(body: body, headers: headers)
                    state.received.append(Received(headers: headers, body: body, isRepeat: webhook.isRepeat))
                    if !webhook.isRepeat { state.effects.append(webhook.id) }
                    let status = state.replies.isEmpty ? 200 : state.replies.removeFirst()
                    return Response(status: HTTPResponse.Status(code: status))
                } catch {
                    state.refusals.append("\(error)")
                    return Response(status: .unauthorized)
                }
            }
        }
        return router
    }
}
