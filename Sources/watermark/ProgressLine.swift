import Foundation

/// The live progress of one image on standard error: a redrawn bar on a terminal, a line per status
/// change otherwise (logs, pipes).
struct ProgressLine {
    let name: String
    private let interactive = isatty(STDERR_FILENO) == 1
    private var last = ""

    init(name: String) {
        self.name = name
    }

    mutating func show(status: String, progress: Int) {
        let filled = max(0, min(20, progress / 5))
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: 20 - filled)
        let line = "[\(bar)] \(String(format: "%3d", progress))% \(status.padding(toLength: 13, withPad: " ", startingAt: 0)) \(name)"
        if interactive {
            FileHandle.standardError.write(Data(("\r" + line).utf8))
        } else if status != last {
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
        last = status
    }

    /// Ends the bar's line with the outcome.
    func finish(_ outcome: String) {
        FileHandle.standardError.write(Data(((interactive ? "\r\u{1B}[K" : "") + outcome + "\n").utf8))
    }
}
