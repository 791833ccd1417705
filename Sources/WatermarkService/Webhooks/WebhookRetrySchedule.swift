import Foundation

/// When a failed webhook delivery is tried again: after the n-th failure, the n-th window of the
/// schedule (the plan's dispatcher retries at 1m, 2m, 5m, 15m, 30m, 60m), the last window again
/// past its end, each spread by ±`jitter` so deliveries that failed together do not return together.
public struct WebhookRetrySchedule: Sendable, Hashable {
    /// Seconds before each retry, in order.
    public var windows: [TimeInterval]
    /// Relative spread of each wait (0.1 = ±10 %).
    public var jitter: Double

    /// The plan's windows: 1, 2, 5, 15, 30 and 60 minutes.
    public static let plan = WebhookRetrySchedule(windows: [60, 120, 300, 900, 1_800, 3_600])

    public init(windows: [TimeInterval], jitter: Double = 0.1) {
        precondition(!windows.isEmpty && windows.allSatisfy { $0 >= 0 }, "a schedule needs at least one window")
        self.windows = windows
        self.jitter = jitter
    }

    /// The wait after failure number `failure` (1 for the first), with `spread` in -1...1 picking the jitter.
    func delay(afterFailure failure: Int, spread: Double = .random(in: -1...1)) -> TimeInterval {
        let window = windows[min(max(failure, 1), windows.count) - 1]
        return window * (1 + jitter * max(-1, min(1, spread)))
    }

    /// Reads `1m,2m,5m,15m,30m,60m` (a number with `ms`, `s`, `m` or `h`; seconds without a unit).
    public init?(parsing text: String) {
        var windows: [TimeInterval] = []
        for part in text.split(separator: ",") {
            let item = part.trimmingCharacters(in: .whitespaces)
            let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3_600)]
            guard let (suffix, scale) = units.first(where: { item.hasSuffix($0.0) && Double(item.dropLast($0.0.count)) != nil }) ?? (Double(item) != nil ? ("", 1) : nil),
                  let value = Double(item.dropLast(suffix.count)), value >= 0, value.isFinite
            else { return nil }
            windows.append(value * scale)
        }
        guard !windows.isEmpty else { return nil }
        self.init(windows: windows)
    }
}
