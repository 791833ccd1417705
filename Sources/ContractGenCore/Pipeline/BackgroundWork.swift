import Dispatch

/// Work started on the other core while the caller goes on; `wait()` returns its result.
///
/// The pipeline's data (Yams `Node` trees) are immutable values that are not declared
/// `Sendable`; background work only reads them, so the hand-over is unchecked.
final class BackgroundWork<Result>: @unchecked Sendable {
    private let work: () -> Result
    private var result: Result?
    private let done = DispatchSemaphore(value: 0)

    init(_ work: @escaping () -> Result) {
        self.work = work
        DispatchQueue.global().async { [self] in
            result = self.work()
            done.signal()
        }
    }

    /// Blocks until the work has finished (any number of times).
    func wait() -> Result {
        done.wait()
        done.signal()
        guard let result else { preconditionFailure("the work signalled before storing its result") }
        return result
    }
}
