import Tracing

/// The W3C trace context a task keeps from the request that created it (`tasks.trace_parent`), so
/// the spans of its stages — in whichever worker process runs them — continue that request's trace.
enum TaskTraceContext {
    /// The current span's context as a `traceparent` value; nil when there is none (tracing off).
    static func current() -> String? {
        guard let context = InstrumentationContext.current else { return nil }
        var headers: [String: String] = [:]
        InstrumentationSystem.instrument.inject(context, into: &headers, using: DictionaryCarrier())
        // Only a well-formed version-00 value is kept (the column's check says the same).
        guard let value = headers["traceparent"], value.utf8.count == 55 else { return nil }
        return value
    }

    /// A context that continues `traceParent` (a new trace when nil).
    static func continuing(_ traceParent: String?) -> InstrumentationContext {
        var context = InstrumentationContext.topLevel
        if let traceParent {
            InstrumentationSystem.instrument.extract(["traceparent": traceParent], into: &context, using: DictionaryCarrier())
        }
        return context
    }

    /// Trace headers read from and written to a dictionary.
    private struct DictionaryCarrier: Injector, Extractor {
        func inject(_ value: String, forKey key: String, into carrier: inout [String: String]) { carrier[key] = value }
        func extract(key: String, from carrier: [String: String]) -> String? { carrier[key] }
    }
}
