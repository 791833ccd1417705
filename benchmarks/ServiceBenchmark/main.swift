// The generated API layer under load against a hand-written Hummingbird + PostgresNIO baseline
// doing the same work, side by side in one run on one embedded PostgreSQL 15, driven by wrk:
// `GET /v1/tasks/{taskId}` and the validated, idempotent `POST /v1/tasks`.
//
//     swift run -c release service-benchmark [--rounds 3] [--seconds 10] [--connections 16] [--only get|post] [--no-connection-wait]
//
// Each round measures every variant once, in rotating order, so drift on a noisy machine hits all
// of them; the report gives requests per second per variant (median over rounds), the median of
// the per-round ratios to the baseline, and the servers' CPU time per request. Needs `wrk` (Debian package).
import AsyncHTTPClient
import EmbeddedPostgres
import Foundation
import Hummingbird
import Logging
import NIOCore
import PostgresNIO
import PostgresSupport
import WatermarkService

struct Options {
    var rounds = 3
    var seconds = 10
    var connections = 16
    /// Measure only these operations (`get`, `post`); both when empty.
    var only: Set<String> = []
    /// Let transactions wait for a connection as long as the pool does (no `DATABASE_WAIT_MS`
    /// watchdog), to measure what the watchdog costs.
    var noConnectionWait = false

    init(_ arguments: [String]) {
        var iterator = arguments.dropFirst().makeIterator()
        while let argument = iterator.next() {
            switch argument {
            case "--rounds": rounds = iterator.next().flatMap(Int.init) ?? rounds
            case "--seconds": seconds = iterator.next().flatMap(Int.init) ?? seconds
            case "--connections": connections = iterator.next().flatMap(Int.init) ?? connections
            case "--only": only.insert(iterator.next() ?? "")
            case "--no-connection-wait": noConnectionWait = true
            default: FileHandle.standardError.write(Data("unknown argument \(argument)\n".utf8)); exit(2)
            }
        }
    }
}

/// One server under test.
struct Variant {
    let name: String
    let port: Int
}

/// A line on standard output, unbuffered (wrk's output and this report interleave in a log).
func say(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }

let options = Options(CommandLine.arguments)
var logger = Logger(label: "service-benchmark")
logger.logLevel = .error
let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("service-benchmark-\(UUID())").path
defer { try? FileManager.default.removeItem(atPath: scratch) }

let cluster = try EmbeddedPostgres.start(logger: logger)
defer { cluster.stop() }
try await cluster.createDatabase("bench", logger: logger)
let migrations = try MigrationSet.load(directory: "contracts/db/migrations")
try await PostgresClient.withRunning(cluster.configuration(database: "bench"), logger: logger) { admin in
    try await MigrationRunner(client: admin, migrations: migrations, logger: logger).up()
    try await WatermarkServer.createServiceRole(admin, logger: logger)
    // Enough quota for every request of the run.
    try await admin.query("UPDATE plans SET quota_per_period = 100000000", logger: logger)
}
var service = cluster.configuration(database: "bench")
service.username = WatermarkServer.serviceRole
service.options.maximumConnections = 32
let client = PostgresClient(configuration: service, backgroundLogger: logger)
// The system-scope pool, as `watermark serve` has it.
let systemClient = PostgresClient(configuration: service.systemSession, backgroundLogger: logger)

func configuration(validateResponses: Bool) -> ServiceConfiguration {
    var configuration = ServiceConfiguration()
    configuration.storageDirectory = scratch + "/storage"
    configuration.developmentKeyFile = scratch + "/jwt.pem"
    configuration.validateResponses = validateResponses
    configuration.signInAttemptsPerMinute = 10_000
    configuration.creationsPerMinute = 1_000_000
    // Signed upload links point at the server the fixture uploads through.
    configuration.publicURL = "http://127.0.0.1:18092"
    return configuration
}

try await withThrowingTaskGroup(of: Void.self) { group in
    group.addTask { await client.run() }
    group.addTask { await systemClient.run() }
    let database = Database(client: client, systemClient: systemClient, logger: logger, connectionWait: options.noConnectionWait ? nil : .seconds(5))
    let auth = try await AuthServices.make(configuration(validateResponses: false), database: database)
    let storage = try await WatermarkServer.makeStorage(configuration(validateResponses: false), auth: auth)
    let pem = try String(contentsOfFile: scratch + "/jwt.pem", encoding: .utf8)
    let tokens = try await AccessTokens(privateKeyPEM: pem, keyID: "bench")

    var variants: [Variant] = []
    for (name, validate, port) in [("generated, responses checked", true, 18091), ("generated", false, 18092)] {
        let router = try WatermarkServer.router(configuration: configuration(validateResponses: validate), database: database, storage: storage, auth: auth)
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)), logger: logger)
        group.addTask { try await app.runService(gracefulShutdownSignals: []) }
        variants.append(Variant(name: name, port: port))
    }
    let bare = Application(router: BareServer.router(client: client, tokens: tokens), configuration: .init(address: .hostname("127.0.0.1", port: 18093)), logger: logger)
    group.addTask { try await bare.runService(gracefulShutdownSignals: []) }
    variants.append(Variant(name: "bare Hummingbird + PostgresNIO", port: 18093))
    try await Task.sleep(for: .seconds(2))

    // A user, an uploaded asset and a task to read, through the generated API. Creations are
    // serialised per user and the usage sum grows with a user's tasks, so every POST measurement
    // gets a fresh user of its own (made before any measurement).
    let fixture = try await Fixture.make(port: 18092)
    var creators: [String: Fixture] = [:]
    for round in 0..<options.rounds {
        for variant in variants { creators["\(round)/\(variant.port)"] = try await Fixture.make(port: 18092, name: "creator-\(round)-\(variant.port)") }
    }
    var results: [String: [String: [Double]]] = [:]
    var cpu: [String: [String: [Double]]] = [:]
    var p95: [String: [String: [Double]]] = [:]
    for round in 0..<options.rounds {
        let order = (0..<variants.count).map { variants[($0 + round) % variants.count] }
        for variant in order {
            var line = "round \(round + 1): \(variant.name):"
            if options.only.isEmpty || options.only.contains("get") {
                let get = try Wrk.run(
                    port: variant.port, seconds: options.seconds, connections: options.connections,
                    script: Wrk.getScript(path: "/v1/tasks/\(fixture.task.uuidString.lowercased())", token: fixture.token))
                results["GET /v1/tasks/{taskId}", default: [:]][variant.name, default: []].append(get.requestsPerSecond)
                cpu["GET /v1/tasks/{taskId}", default: [:]][variant.name, default: []].append(get.cpuMicrosecondsPerRequest)
                p95["GET /v1/tasks/{taskId}", default: [:]][variant.name, default: []].append(get.p95Milliseconds)
                line += " GET \(Int(get.requestsPerSecond)) req/s (\(Int(get.cpuMicrosecondsPerRequest)) µs CPU/request)"
            }
            if options.only.isEmpty || options.only.contains("post") {
                let creator = creators["\(round)/\(variant.port)"]!
                let post = try Wrk.run(
                    port: variant.port, seconds: options.seconds, connections: options.connections,
                    script: Wrk.postScript(body: #"{"assetId":"\#(creator.asset.uuidString.lowercased())","mediaType":"IMAGE","autoDetect":true}"#, token: creator.token, prefix: "r\(round)p\(variant.port)"))
                results["POST /v1/tasks", default: [:]][variant.name, default: []].append(post.requestsPerSecond)
                cpu["POST /v1/tasks", default: [:]][variant.name, default: []].append(post.cpuMicrosecondsPerRequest)
                p95["POST /v1/tasks", default: [:]][variant.name, default: []].append(post.p95Milliseconds)
                line += " POST \(Int(post.requestsPerSecond)) req/s (P95 \(Int(post.p95Milliseconds)) ms, \(Int(post.cpuMicrosecondsPerRequest)) µs CPU/request)"
            }
            say(line)
        }
    }
    func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
    // Ratios are taken within each round (the variants ran minutes apart at most), then the median
    // over rounds: the machine's drift between rounds cancels out of each ratio.
    say("\n| operation | variant | requests/s (median of \(options.rounds)) | ratio to bare (median of per-round ratios) | P95 ms (median) | server CPU µs/request (median) |")
    say("|---|---|---|---|---|---|")
    for operation in ["GET /v1/tasks/{taskId}", "POST /v1/tasks"] {
        guard let byVariant = results[operation], let baseline = byVariant["bare Hummingbird + PostgresNIO"] else { continue }
        for variant in variants {
            let values = byVariant[variant.name] ?? []
            let ratios = zip(values, baseline).map { $0 / $1 }
            let micros = median(cpu[operation]?[variant.name] ?? [0])
            let latency = median(p95[operation]?[variant.name] ?? [0])
            say("| `\(operation)` | \(variant.name) | \(Int(median(values).rounded())) | \(String(format: "%.2f", median(ratios))) | \(String(format: "%.1f", latency)) | \(Int(micros.rounded())) |")
        }
    }
    group.cancelAll()
    // The servers' shutdown is not part of the measurement; stop here (the embedded cluster's
    // watchdog removes it when this process ends).
    exit(0)
}
