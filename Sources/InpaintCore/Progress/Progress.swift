import Synchronization

/// Progress callback: receives a fraction in 0...1. Called from worker threads.
public typealias ProgressHandler = @Sendable (Double) -> Void

/// A thread-safe flag that lets a caller cancel a running operation without Swift tasks.
public final class CancellationToken: Sendable {
    private let flag = Atomic<Bool>(false)
    /// Creates a token that is not cancelled.
    public init() {}
    /// Requests cancellation; running operations stop at their next check.
    public func cancel() { flag.store(true, ordering: .relaxed) }
    /// Whether `cancel()` was called.
    public var isCancelled: Bool { flag.load(ordering: .relaxed) }
}

/// Bundles progress reporting and cancellation checks for one long operation.
public struct OperationContext: Sendable {
    /// The progress callback, if any.
    public var progress: ProgressHandler?
    /// An explicit cancellation token, if any (Swift task cancellation is honoured too).
    public var token: CancellationToken?

    /// Creates a context.
    public init(progress: ProgressHandler? = nil, token: CancellationToken? = nil) {
        self.progress = progress
        self.token = token
    }

    /// Whether the operation should stop.
    public var isCancelled: Bool { Task.isCancelled || (token?.isCancelled ?? false) }

    /// Throws `InpaintError.cancelled` if cancelled.
    public func check() throws(InpaintError) {
        if isCancelled { throw .cancelled }
    }

    /// Reports progress `fraction` (clamped to 0...1).
    public func report(_ fraction: Double) {
        progress?(min(1, max(0, fraction)))
    }

    /// A context that maps 0...1 of a sub-step into `lo...hi` of this one.
    public func sub(_ lo: Double, _ hi: Double) -> OperationContext {
        guard let p = progress else { return self }
        return OperationContext(progress: { f in p(lo + (hi - lo) * f) }, token: token)
    }
}
