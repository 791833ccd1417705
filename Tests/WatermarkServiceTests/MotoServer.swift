import AsyncHTTPClient
import Foundation

/// A real S3-compatible server for the tests: moto's server mode (`pip install "moto[server]"`),
/// started on a free loopback port and stopped afterwards.
struct MotoServer {
    let process: Process
    let endpoint: String

    /// Runs `body` with a moto server; throws when moto is not installed or does not start.
    static func with(_ body: (MotoServer) async throws -> Void) async throws {
        let server = try await start()
        defer { server.stop() }
        try await body(server)
    }

    /// moto's server does not stop on SIGTERM; SIGKILL it.
    func stop() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    private static func start() async throws -> MotoServer {
        struct NotStarted: Error, CustomStringConvertible { let description: String }
        for _ in 0..<5 {
            let port = Int.random(in: 20_000..<40_000)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", "-m", "moto.server", "-H", "127.0.0.1", "-p", String(port)]
            let log = FileHandle(forWritingAtPath: "/dev/null")
            process.standardOutput = log
            process.standardError = log
            try process.run()
            let endpoint = "http://127.0.0.1:\(port)"
            // Up to 20 s for the server to answer.
            for _ in 0..<100 where process.isRunning {
                if let response = try? await HTTPClient.shared.execute(HTTPClientRequest(url: endpoint + "/moto-api/"), timeout: .seconds(1)),
                   (try? await response.body.collect(upTo: 1 << 22)) != nil, response.status.code < 500 {
                    return MotoServer(process: process, endpoint: endpoint)
                }
                try await Task.sleep(for: .milliseconds(200))
            }
            MotoServer(process: process, endpoint: endpoint).stop()
        }
        throw NotStarted(description: "moto's S3 server did not start (is `moto[server]` installed? .ci/run installs it)")
    }
}
