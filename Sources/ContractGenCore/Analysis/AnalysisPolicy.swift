/// How the analysis stage judges a contract, the same for `generate` (and so the build plugin) and
/// `lint`: what is an error fails both. `contractlint.yaml` sets severities per rule and skips
/// paths; `lenient` is for third-party documents a team generates from but does not own.
public struct AnalysisPolicy: Sendable {
    /// Per-rule severities and skipped paths (`contractlint.yaml`), applied last.
    public var configuration: LintConfiguration
    /// Only what stops generation is an error: the gate's own rules (structure rulesets, database
    /// rules) are warnings, our API conventions do not apply, and a description OpenAPIKit
    /// rejects generates with a warning, as the generator reads it.
    public var lenient: Bool

    public init(configuration: LintConfiguration = LintConfiguration(), lenient: Bool = false) {
        self.configuration = configuration
        self.lenient = lenient
    }

    /// `diagnostic` as this policy judges it, or nil when its rule is off or its file skipped.
    func judge(_ diagnostic: Diagnostic) -> Diagnostic? {
        var judged = diagnostic
        if let rule = diagnostic.ruleID {
            if lenient {
                if ContractAnalyzer.conventionRules[rule] != nil { return nil }
                if ContractAnalyzer.gateRules[rule] != nil, judged.severity == .error { judged.severity = .warning }
            } else if let severity = ContractAnalyzer.strictSeverities[rule] {
                judged.severity = severity
            }
        }
        return configuration.apply(to: judged)
    }
}
