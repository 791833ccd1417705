import Foundation
import Yams

/// `contractlint.yaml` beside the contracts: a severity per rule (`error`, `warn`, `off`) and
/// paths (relative to the contracts directory, `*` and `**` wildcards) whose findings are skipped.
///
/// ```yaml
/// rules:
///   oas-structure: error
///   unsupported: off
/// skip:
///   - api/v1/legacy/**
/// ```
public struct LintConfiguration: Sendable {
    public enum Level: String, Sendable {
        case error, warn, off
    }

    public var rules: [String: Level] = [:]
    public var skip: [String] = []
    /// The directory `skip` patterns are relative to.
    public var base = ""

    public init() {}

    /// Reads `file`; problems with it are diagnostics at their place.
    public static func load(_ file: String) -> (LintConfiguration, [Diagnostic]) {
        var configuration = LintConfiguration()
        configuration.base = (file as NSString).deletingLastPathComponent
        var diagnostics = DiagnosticCollector()
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
            diagnostics.error("cannot read \(file)", at: nil, rule: "lint-config")
            return (configuration, diagnostics.diagnostics)
        }
        let root: Node?
        do {
            root = try Yams.compose(yaml: text, .basic)
        } catch {
            diagnostics.error("\(file) is not YAML: \(error)", at: SourceLocation(file: file, line: 1, column: 1), rule: "lint-config")
            return (configuration, diagnostics.diagnostics)
        }
        func location(_ node: Node) -> SourceLocation {
            SourceLocation(file: file, line: (node.mark?.line ?? 0) + 1, column: (node.mark?.column ?? 0) + 1)
        }
        for (key, value) in root?.pairs ?? [] {
            switch key {
            case "rules":
                for (rule, level) in value.pairs {
                    guard let parsed = level.string.flatMap(Level.init(rawValue:)) else {
                        diagnostics.error("rule \(rule): the level is error, warn or off", at: location(level), rule: "lint-config")
                        continue
                    }
                    configuration.rules[rule] = parsed
                }
            case "skip":
                configuration.skip = value.elements.compactMap(\.string)
            default:
                diagnostics.error("unknown key \(key) (expected rules, skip)", at: location(value), rule: "lint-config")
            }
        }
        return (configuration, diagnostics.diagnostics)
    }

    /// `diagnostic` with its configured severity, or nil when its rule is off or its file skipped.
    func apply(to diagnostic: Diagnostic) -> Diagnostic? {
        var result = diagnostic
        if let rule = diagnostic.ruleID, let level = rules[rule] {
            switch level {
            case .off: return nil
            case .warn: result.severity = .warning
            case .error: result.severity = .error
            }
        }
        if let file = diagnostic.location?.file, skip.contains(where: { Self.matches(file, pattern: $0, base: base) }) { return nil }
        return result
    }

    /// Whether `file` (a path) matches `pattern` relative to `base`; `*` is one path segment's worth, `**` any depth.
    static func matches(_ file: String, pattern: String, base: String) -> Bool {
        let relative = !base.isEmpty && file.hasPrefix(base + "/") ? String(file.dropFirst(base.count + 1)) : file
        var expression = "^"
        var index = pattern.startIndex
        while index < pattern.endIndex {
            let character = pattern[index]
            if character == "*" {
                let next = pattern.index(after: index)
                if next < pattern.endIndex, pattern[next] == "*" {
                    expression += ".*"
                    index = pattern.index(after: next)
                    continue
                }
                expression += "[^/]*"
            } else {
                expression += NSRegularExpression.escapedPattern(for: String(character))
            }
            index = pattern.index(after: index)
        }
        expression += "$"
        return relative.range(of: expression, options: .regularExpression) != nil
    }
}
