/// Gathers every diagnostic of a run so all problems are reported at once.
public struct DiagnosticCollector: Sendable {
    public private(set) var diagnostics: [Diagnostic] = []

    public init() {}

    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    public mutating func emit(_ diagnostic: Diagnostic) {
        diagnostics.append(diagnostic)
    }

    public mutating func error(_ message: String, at location: SourceLocation?, rule: String? = nil) {
        emit(Diagnostic(.error, message, at: location, rule: rule))
    }

    public mutating func warning(_ message: String, at location: SourceLocation?, rule: String? = nil) {
        emit(Diagnostic(.warning, message, at: location, rule: rule))
    }

    /// Diagnostics in a stable order: by file and position, unlocated ones last.
    public var sorted: [Diagnostic] {
        diagnostics.enumerated().sorted { a, b in
            switch (a.element.location, b.element.location) {
            case let (l?, r?) where l != r: return l < r
            case (.some, .none): return true
            case (.none, .some): return false
            default: return a.offset < b.offset
            }
        }.map(\.element)
    }
}

/// Thrown when a stage cannot go on; carries every diagnostic found so far.
public struct ContractGenFailure: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]

    public init(_ diagnostics: [Diagnostic]) {
        self.diagnostics = diagnostics
    }

    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
