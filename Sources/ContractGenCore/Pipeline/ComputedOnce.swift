import Foundation

/// A value computed at most once, by whichever thread asks first; the others wait for it. The
/// bundled document's JSON text is one: the structure check renders it on the other core, the
/// model and the generator read it later.
final class ComputedOnce<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value?
    private var compute: (() -> Value)?

    init(_ compute: @escaping () -> Value) {
        self.compute = compute
    }

    func get() -> Value {
        lock.lock()
        defer { lock.unlock() }
        if let value { return value }
        guard let compute else { preconditionFailure("computed without a value") }
        let computed = compute()
        value = computed
        self.compute = nil
        return computed
    }
}
