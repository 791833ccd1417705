#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization
import InpaintCore

/// A one-line progress bar on stderr, drawn only when stderr is a terminal.
final class ProgressBar: Sendable {
    private let enabled: Bool
    private let last = Mutex<Int>(-1)
    private let label: String

    init(label: String) {
        self.label = label
        self.enabled = isatty(2) != 0
    }

    /// The callback to hand to the library.
    var handler: ProgressHandler? {
        guard enabled else { return nil }
        return { [self] f in self.update(f) }
    }

    func update(_ fraction: Double, detail: String = "") {
        guard enabled else { return }
        let pct = Int(fraction * 100)
        let draw = last.withLock { l -> Bool in
            if pct == l { return false }
            l = pct
            return true
        }
        guard draw else { return }
        let width = 30
        let filled = min(width, max(0, Int(fraction * Double(width))))
        let bar = String(repeating: "#", count: filled) + String(repeating: " ", count: width - filled)
        writeStderr("\r\u{1B}[K\(label) [\(bar)] \(pct)%\(detail.isEmpty ? "" : " " + detail)")
    }

    func finish() {
        let drawn = last.withLock { l -> Bool in
            defer { l = -1 }
            return l >= 0
        }
        if enabled && drawn { writeStderr("\r\u{1B}[K") }
    }
}

/// Writes one line to stderr.
func printError(_ line: String) {
    writeStderr(line + "\n")
}

/// Writes raw text to file descriptor 2.
func writeStderr(_ text: String) {
    var t = text
    t.withUTF8 { buf in _ = write(2, buf.baseAddress, buf.count) }
}
