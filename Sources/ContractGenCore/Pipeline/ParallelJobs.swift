import Dispatch

/// Independent jobs run on every core, results returned in job order — so output and diagnostics
/// are the same whatever thread finished first. Jobs only read shared values (the model, the
/// templates); each returns its own result.
enum ParallelJobs {
    /// `job(0)` … `job(count - 1)`, taken by the cores in index order (put the longest first).
    static func run<Result>(_ count: Int, _ job: (Int) -> Result) -> [Result] {
        guard count > 1 else { return (0..<count).map(job) }
        let results = UnsafeMutableBufferPointer<Result?>.allocate(capacity: count)
        results.initialize(repeating: nil)
        defer {
            results.deinitialize()
            results.deallocate()
        }
        withoutActuallyEscaping(job) { job in
            // The jobs only read what they share, each index is written by exactly one iteration,
            // and the results are read only after every iteration has returned.
            nonisolated(unsafe) let job = job
            nonisolated(unsafe) let slots = results
            DispatchQueue.concurrentPerform(iterations: count) { index in
                slots[index] = job(index)
            }
        }
        return results.map { $0! }
    }
}
