// The task workers on one embedded PostgreSQL 15:
// 1. queue throughput — tasks created through the API, then claimed and completed by workers with
//    the inpainting stage replaced by a no-op (decode, mask, encode, store and the six state
//    changes remain), in tasks per second;
// 2. latency of 1080p FAST tasks through the HTTP API — from the start of the upload (policy, PUT)
//    to the moment a client polling the task sees SUCCEEDED, P50/P95, with workers in the server.
//
//     swift run -c release worker-benchmark [--tasks 2000] [--users 20] [--concurrency 8] [--latency-tasks 30] [--cases DIR]
//
// `--cases` takes the shared harness's generated cases (`make_dataset.py`); their 1080p inputs are
// uploaded with their masks (as rectangles). Without it a synthetic 1080p gradient with a block is used.
import ArgumentParser
import AsyncHTTPClient
import EmbeddedPostgres
import Foundation
import Hummingbird
import InpaintCore
import Logging
import NIOCore
import PostgresNIO
import PostgresSupport
import WatermarkService

@main
struct WorkerBenchmark: AsyncParsableCommand {
    @Option(help: "Tasks for the throughput run.") var tasks = 2000
    @Option(help: "Users the throughput run's tasks are spread over (one user's rows are shared by all its tasks).") var users = 20
    @Option(help: "Worker slots for the throughput run.") var concurrency = 8
    @Option(help: "Tasks for the latency run (one after another).") var latencyTasks = 30
    @Option(help: "Worker slots in the server of the latency run.") var latencyConcurrency = 2
    @Option(help: "A directory of the inpainting harness's cases (1920x1080_*.input.png and .mask.png).") var cases: String?
    @Flag(help: "Let transactions wait for a connection as long as the pool does (no DATABASE_WAIT_MS watchdog).") var noConnectionWait = false

    func run() async throws {
        var logger = Logger(label: "worker-benchmark")
        logger.logLevel = .error
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("worker-benchmark-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let cluster = try EmbeddedPostgres.start(logger: logger)
        defer { cluster.stop() }
        try await cluster.createDatabase("bench", logger: logger)
        let admin = PostgresClient(configuration: cluster.configuration(database: "bench"), backgroundLogger: logger)
        var service = cluster.configuration(database: "bench")
        service.username = WatermarkServer.serviceRole
        service.options.maximumConnections = 40
        let client = PostgresClient(configuration: service, backgroundLogger: logger)
        let systemClient = PostgresClient(configuration: service.systemSession, backgroundLogger: logger)

        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await admin.run() }
            group.addTask { await client.run() }
            group.addTask { await systemClient.run() }
            try await MigrationRunner(client: admin, migrations: try MigrationSet.load(directory: "contracts/db/migrations"), logger: logger).up()
            try await WatermarkServer.createServiceRole(admin, logger: logger)
            try await admin.query("UPDATE plans SET quota_per_period = 100000000", logger: logger)

            var configuration = ServiceConfiguration()
            configuration.storageDirectory = scratch + "/storage"
            configuration.developmentKeyFile = scratch + "/jwt.pem"
            configuration.creationsPerMinute = 10_000_000
            configuration.validateResponses = false
            configuration.port = 18190
            configuration.workerPollMilliseconds = 20
            let database = Database(client: client, systemClient: systemClient, logger: logger, connectionWait: noConnectionWait ? nil : .seconds(5))
            let auth = try await AuthServices.make(configuration, database: database)
            let storage = try await WatermarkServer.makeStorage(configuration, auth: auth)
            let router = try WatermarkServer.router(configuration: configuration, database: database, storage: storage, auth: auth)
            let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: configuration.port)), logger: logger)
            group.addTask { try await app.runService(gracefulShutdownSignals: []) }
            try await Task.sleep(for: .seconds(1))
            let api = API(base: "http://127.0.0.1:\(configuration.port)")

            // 1. Throughput with a no-op inpainting stage.
            let small = try ImageCodec.encode(PixelImage(width: 64, height: 48, channels: 3, fill: 120), as: .png)
            var owners: [(token: String, asset: String)] = []
            for index in 0..<users {
                let token = try await api.register(index == 0 ? "throughput" : "throughput\(index)")
                owners.append((token, try await api.upload(small, token: token)))
            }
            let wholeCanvas = #"{"polygons":[{"points":[{"x":100,"y":100},{"x":1800,"y":100},{"x":1800,"y":1000},{"x":100,"y":1000}]}]}"#
            say("creating \(tasks) tasks of \(users) users through the API …")
            let creatorsCount = owners.count
            try await withThrowingTaskGroup(of: Void.self) { creators in
                for (slice, owner) in owners.enumerated() {
                    creators.addTask {
                        for index in stride(from: slice, to: tasks, by: creatorsCount) {
                            _ = try await api.createTask(asset: owner.asset, mask: wholeCanvas, token: owner.token, key: "throughput-\(index)")
                        }
                    }
                }
                try await creators.waitForAll()
            }
            var settings = WorkerSettings(concurrency: concurrency, leaseSeconds: 60, pollInterval: .milliseconds(20))
            settings.skipsInpainting = true
            let worker = TaskWorker(database: database, storage: storage, configuration: configuration, settings: settings, metrics: ServiceMetrics())
            let started = ContinuousClock.now
            let workerTask = Task { try await worker.run() }
            var done: Int64 = 0
            while done < Int64(tasks) {
                try await Task.sleep(for: .milliseconds(20))
                done = try await Self.count(admin, "SELECT count(*) FROM tasks WHERE status = 'SUCCEEDED'", logger: logger)
            }
            let elapsed = ContinuousClock.now - started
            workerTask.cancel()
            _ = try? await workerTask.value
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            let failed = try await Self.count(admin, "SELECT count(*) FROM tasks WHERE status <> 'SUCCEEDED'", logger: logger)
            say(String(format: "throughput: %d tasks of %d users claimed → SUCCEEDED in %.2f s with %d worker slots, inpainting a no-op: %.0f tasks/s (%d not succeeded)",
                       tasks, users, seconds, concurrency, Double(tasks) / seconds, failed))

            // 2. Latency of 1080p FAST tasks, workers inside the server.
            let inputs = try Self.latencyInputs(cases)
            var serverWork = configuration
            serverWork.workerConcurrency = latencyConcurrency
            let latencyWorker = TaskWorker(database: database, storage: storage, configuration: serverWork, settings: serverWork.workerSettings, metrics: ServiceMetrics())
            let latencyTask = Task { try await latencyWorker.run() }
            let owner = try await api.register("latency")
            var latencies: [Double] = []
            for index in 0..<latencyTasks {
                let (bytes, mask) = inputs[index % inputs.count]
                let start = ContinuousClock.now
                let uploaded = try await api.upload(bytes, token: owner)
                let task = try await api.createTask(asset: uploaded, mask: mask, token: owner, key: "latency-\(index)", mode: "FAST")
                var status = ""
                while status != "SUCCEEDED" {
                    status = try await api.status(task, token: owner)
                    guard status != "FAILED" else { throw API.Failure(description: "task \(task) failed") }
                    if status != "SUCCEEDED" { try await Task.sleep(for: .milliseconds(5)) }
                }
                let latency = ContinuousClock.now - start
                latencies.append(Double(latency.components.seconds) + Double(latency.components.attoseconds) / 1e18)
            }
            latencyTask.cancel()
            _ = try? await latencyTask.value
            let sorted = latencies.sorted()
            func percentile(_ p: Double) -> Double { sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)] }
            say(String(format: "latency: %d 1080p FAST tasks (%@), upload start → SUCCEEDED seen by a polling client: P50 %.0f ms, P95 %.0f ms, max %.0f ms",
                       latencyTasks, cases == nil ? "synthetic gradient" : "harness cases", percentile(0.5) * 1000, percentile(0.95) * 1000, sorted.last! * 1000))
            for name in ["throughput", "latency"] {
                say("  \(name) run, time per status (from the task events):")
                try await Self.stageTimes(admin, user: "\(name)%@example.com", logger: logger)
            }
            group.cancelAll()
        }
    }

    /// P50/P95 of the time the user's tasks spent in each status.
    static func stageTimes(_ admin: PostgresClient, user: String, logger: Logger) async throws {
        let stages = try await admin.query("""
            SELECT s.status::text, percentile_cont(0.5) WITHIN GROUP (ORDER BY s.seconds), percentile_cont(0.95) WITHIN GROUP (ORDER BY s.seconds)
            FROM (SELECT e.status, extract(epoch FROM lead(e.created_at) OVER (PARTITION BY e.task_id ORDER BY e.sequence) - e.created_at)::float8 AS seconds
                  FROM task_events e JOIN tasks t ON t.id = e.task_id JOIN users u ON u.id = t.user_id WHERE u.email LIKE \(user)) AS s
            WHERE s.seconds IS NOT NULL GROUP BY s.status ORDER BY min(s.status)
            """, logger: logger)
        for try await (stage, p50, p95) in stages.decode((String, Double, Double).self) {
            say(String(format: "    %@: P50 %.1f ms, P95 %.1f ms", stage, p50 * 1000, p95 * 1000))
        }
    }

    static func count(_ client: PostgresClient, _ sql: String, logger: Logger) async throws -> Int64 {
        for try await value in try await client.query(PostgresQuery(unsafeSQL: sql), logger: logger).decode(Int64.self) { return value }
        return 0
    }

    /// 1080p PNGs with their masks as API JSON.
    static func latencyInputs(_ directory: String?) throws -> [([UInt8], String)] {
        func maskJSON(_ boxes: [(minX: Int, minY: Int, maxX: Int, maxY: Int)]) -> String {
            let polygons = boxes.map { b in
                #"{"points":[{"x":\#(b.minX),"y":\#(b.minY)},{"x":\#(b.maxX + 1),"y":\#(b.minY)},{"x":\#(b.maxX + 1),"y":\#(b.maxY + 1)},{"x":\#(b.minX),"y":\#(b.maxY + 1)}]}"#
            }
            return #"{"polygons":[\#(polygons.joined(separator: ","))]}"#
        }
        guard let directory else {
            var image = PixelImage(width: 1920, height: 1080, channels: 3, fill: 0)
            for y in 0..<1080 {
                for x in 0..<1920 {
                    let i = (y * 1920 + x) * 3
                    let block = (1400..<1800).contains(x) && (860..<1020).contains(y)
                    image.pixels[i] = block ? 255 : UInt8(x / 8)
                    image.pixels[i + 1] = block ? 255 : UInt8(y / 5)
                    image.pixels[i + 2] = block ? 255 : UInt8((x + y) / 12)
                }
            }
            return [(try ImageCodec.encode(image, as: .png), maskJSON([(1396, 856, 1803, 1023)]))]
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasPrefix("1920x1080_") && $0.hasSuffix(".input.png") }.sorted()
        return try names.map { name in
            let stem = directory + "/" + name.dropLast(".input.png".count)
            let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: stem + ".input.png")))
            return (bytes, maskJSON(try Mask.read(path: stem + ".mask.png").boundingRectangles(limit: 64)))
        }
    }
}

/// A line on standard output, unbuffered.
func say(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }

/// The client side of the runs: the service's JSON API over HTTP.
struct API {
    let base: String
    struct Failure: Error, CustomStringConvertible { let description: String }

    enum Verb: String { case get = "GET", post = "POST", put = "PUT" }

    func call(_ method: Verb, _ url: String, json: String? = nil, bytes: [UInt8]? = nil, headers: [String: String] = [:]) async throws -> [String: Any] {
        var request = HTTPClientRequest(url: url.hasPrefix("http") ? url : base + url)
        switch method {
        case .get: request.method = .GET
        case .post: request.method = .POST
        case .put: request.method = .PUT
        }
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: json))
        }
        if let bytes { request.body = .bytes(ByteBuffer(bytes: bytes)) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
        let body = try await response.body.collect(upTo: 1 << 24)
        guard (200..<300).contains(Int(response.status.code)) else { throw Failure(description: "\(method.rawValue) \(url): \(response.status.code) \(String(buffer: body))") }
        guard let object = try JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any], let data = object["data"] as? [String: Any] else { return [:] }
        return data
    }

    func register(_ name: String) async throws -> String {
        let session = try await call(.post, "/v1/auth/register", json: #"{"email":"\#(name)@example.com","password":"benchmark-password","displayName":"Bench"}"#,
                                     headers: ["Idempotency-Key": "\(name)-register"])
        guard let token = (session["tokens"] as? [String: Any])?["accessToken"] as? String else { throw Failure(description: "no token") }
        return token
    }

    func upload(_ bytes: [UInt8], token: String) async throws -> String {
        let policy = try await call(.post, "/v1/assets/upload-policy", json: #"{"fileName":"bench.png","contentType":"image/png","sizeBytes":\#(bytes.count)}"#,
                                    headers: ["Authorization": "Bearer \(token)", "Idempotency-Key": "policy-\(UUID())"])
        guard let url = policy["uploadUrl"] as? String, let asset = policy["assetId"] as? String else { throw Failure(description: "no policy") }
        _ = try await call(.put, url, bytes: bytes, headers: ["Content-Type": "image/png"])
        return asset
    }

    func createTask(asset: String, mask: String, token: String, key: String, mode: String = "FAST") async throws -> String {
        let task = try await call(.post, "/v1/tasks", json: #"{"assetId":"\#(asset)","mediaType":"IMAGE","mode":"\#(mode)","mask":\#(mask)}"#,
                                  headers: ["Authorization": "Bearer \(token)", "Idempotency-Key": key])
        guard let id = task["id"] as? String else { throw Failure(description: "no task") }
        return id
    }

    func status(_ task: String, token: String) async throws -> String {
        try await call(.get, "/v1/tasks/\(task)", headers: ["Authorization": "Bearer \(token)"])["status"] as? String ?? ""
    }
}
