import AsyncHTTPClient
import ContractClient
import Foundation
import Hummingbird
import NIOCore
import WidgetsClient
import WidgetsServer

// Request overhead of the generated client against hand-written AsyncHTTPClient calls that do the same requests
// (same headers, the body decoded with Foundation's JSONDecoder) against the same in-process server, in
// alternating rounds. Usage: client-overhead [ROUNDS] [REQUESTS PER ROUND] [CONCURRENCY]; prints one line per
// round, the ratio of the medians and the median of the rounds' ratios (benchmarks/client_overhead.py runs it).

/// The widget as a hand-written client would declare it.
struct HandWidget: Decodable { var id: UUID; var name: String; var color: String; var version: Int64; var createdAt: Date }
struct HandEnvelope: Decodable { var data: HandWidget }

let arguments = CommandLine.arguments.dropFirst().compactMap { Int($0) }
let rounds = arguments.count > 0 ? arguments[0] : 5
let perRound = arguments.count > 1 ? arguments[1] : 2000
let concurrency = arguments.count > 2 ? arguments[2] : 8

let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
let application = Application(
    router: WidgetsServer.router(), configuration: .init(address: .hostname("127.0.0.1", port: 0)),
    onServerRunning: { channel in portContinuation.yield(channel.localAddress?.port ?? 0) })
let server = Task { try await application.runService(gracefulShutdownSignals: []) }
guard let port = await ports.first(where: { _ in true }), port > 0 else { fatalError("the server did not start") }
let base = "http://127.0.0.1:\(port)"

let session = TokenSession(tokens: .init(accessToken: "good", refreshToken: "unused")) { _ in .init(accessToken: "good", refreshToken: "unused") }
let api = APIClient(ContractClient(baseURL: base, middlewares: [RequestIDMiddleware(), BearerTokenMiddleware(session: session)]))
guard case .created(let widget) = try await api.createWidget(idempotencyKey: "key-00000001", body: CreateWidgetRequest(name: "gear", color: .red)) else {
    fatalError("could not create the widget")
}

/// One request the way the generated client makes it.
@Sendable func generated() async throws {
    guard case .ok(let read) = try await api.getWidget(widgetId: widget.id), read.id == widget.id else { fatalError("wrong answer") }
}

let decoder: JSONDecoder = {
    let decoder = JSONDecoder()
    decoder.dateDecodingStrategy = .iso8601
    return decoder
}()

/// The same request written by hand.
@Sendable func handWritten() async throws {
    var request = HTTPClientRequest(url: "\(base)/v1/widgets/\(widget.id.uuidString.lowercased())")
    request.headers.add(name: "Authorization", value: "Bearer good")
    request.headers.add(name: "X-Request-Id", value: UUID().uuidString)
    let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
    guard response.status == .ok else { fatalError("status \(response.status)") }
    let body = try await response.body.collect(upTo: 1 << 20)
    let read = try decoder.decode(HandEnvelope.self, from: Data(buffer: body))
    guard read.data.id == widget.id else { fatalError("wrong answer") }
}

/// Requests per second of `perRound` calls of `call`, `concurrency` at a time.
func throughput(_ call: @escaping @Sendable () async throws -> Void) async throws -> Double {
    let start = ContinuousClock.now
    try await withThrowingTaskGroup(of: Void.self) { group in
        for worker in 0..<concurrency {
            group.addTask {
                for _ in stride(from: worker, to: perRound, by: concurrency) { try await call() }
            }
        }
        try await group.waitForAll()
    }
    let elapsed = ContinuousClock.now - start
    return Double(perRound) / (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
}

_ = try await throughput(generated)  // warm both paths and the connection pool
_ = try await throughput(handWritten)
var generatedRates: [Double] = [], handRates: [Double] = []
for round in 1...rounds {
    let hand = try await throughput(handWritten)
    let typed = try await throughput(generated)
    handRates.append(hand)
    generatedRates.append(typed)
    print("round \(round): hand-written \(Int(hand)) req/s, generated \(Int(typed)) req/s, ratio \(String(format: "%.3f", typed / hand))")
}
func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}
let pairedRatio = median(zip(generatedRates, handRates).map { $0 / $1 })
print("HAND_RPS=\(Int(median(handRates))) GENERATED_RPS=\(Int(median(generatedRates))) RATIO=\(String(format: "%.3f", median(generatedRates) / median(handRates))) PAIRED_RATIO=\(String(format: "%.3f", pairedRatio))")
server.cancel()
