import Foundation

/// Runs wrk (Debian's package) against a local port with a Lua script and reads its requests/s,
/// and what the run cost this process (the servers under test) in CPU time per request.
enum Wrk {
    struct Failure: Error, CustomStringConvertible { let description: String }

    struct Measurement {
        let requestsPerSecond: Double
        /// The 95th percentile of the requests' latency, in milliseconds.
        let p95Milliseconds: Double
        /// This process's user + system CPU time during the run, per request.
        let cpuMicrosecondsPerRequest: Double
    }

    /// User + system CPU time of this process so far, in microseconds.
    static func processCPU() -> Double {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1e6 + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec)
    }

    static func run(port: Int, seconds: Int, connections: Int, script: String) throws -> Measurement {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("wrk-\(UUID()).lua").path
        try (script + latencyReport).write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["wrk", "-t", "2", "-c", String(connections), "-d", "\(seconds)s", "-s", path, "http://127.0.0.1:\(port)"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        let cpuBefore = processCPU()
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let cpu = processCPU() - cpuBefore
        // Non-2xx answers mean the variant is not doing the work; refuse to report a number for it.
        if let line = text.split(separator: "\n").first(where: { $0.contains("Non-2xx or 3xx responses") }) {
            throw Failure(description: "port \(port): \(line.trimmingCharacters(in: .whitespaces))\n\(text)")
        }
        // "  12345 requests in 10.00s, 5.67MB read"
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("Requests/sec:") }),
              let value = Double(line.split(separator: " ").last ?? ""),
              let total = text.split(separator: "\n").first(where: { $0.contains(" requests in ") })?
                .split(separator: " ").first.flatMap({ Double($0) }), total > 0 else {
            throw Failure(description: "wrk said:\n\(text)")
        }
        guard let p95 = text.split(separator: "\n").first(where: { $0.hasPrefix("P95-us:") })
            .flatMap({ Double($0.split(separator: " ").last ?? "") }) else {
            throw Failure(description: "wrk reported no P95:\n\(text)")
        }
        return Measurement(requestsPerSecond: value, p95Milliseconds: p95 / 1_000, cpuMicrosecondsPerRequest: cpu / total)
    }

    /// Appended to every script: wrk prints the 95th latency percentile (microseconds) at the end.
    static let latencyReport = """

        function done(summary, latency, requests)
          io.write(string.format("P95-us: %d\\n", latency:percentile(95)))
        end
        """

    static func getScript(path: String, token: String) -> String {
        """
        wrk.method = "GET"
        wrk.path = "\(path)"
        wrk.headers["Authorization"] = "Bearer \(token)"
        """
    }

    /// A new Idempotency-Key for every request (thread number and counter), so each one creates a task.
    static func postScript(body: String, token: String, prefix: String) -> String {
        """
        local threads = 0
        function setup(thread)
          threads = threads + 1
          thread:set("tid", threads)
        end
        local counter = 0
        function request()
          counter = counter + 1
          return wrk.format("POST", "/v1/tasks", {
            ["Content-Type"] = "application/json",
            ["Authorization"] = "Bearer \(token)",
            ["Idempotency-Key"] = "\(prefix)-" .. tid .. "-" .. counter
          }, '\(body)')
        end
        """
    }
}
