import Dispatch

/// Runs CPU-heavy work (decoding, detection, inpainting, encoding) on Dispatch's threads instead
/// of the Swift concurrency pool, whose few threads (one per core) must stay free for requests and
/// database I/O while a task is being inpainted.
enum ComputeQueue {
    static func run<Value: Sendable>(_ work: @escaping @Sendable () throws -> Value) async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global(qos: .userInitiated).async {
                continuation.resume(with: Result { try work() })
            }
        }
    }
}
