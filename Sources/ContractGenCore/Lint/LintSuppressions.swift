import Yams

/// Inline suppressions: `x-lint-ignore` on any object of the contract silences the named rules for
/// findings inside that object (from the line of its key to its last line), with a reason each:
///
/// ```yaml
/// post:
///   x-lint-ignore:
///     idempotency-key: The payment provider cannot send one; the event id is the key.
/// ```
///
/// A suppression without a reason (`x-lint-ignore: [idempotency-key]`, or an empty reason) is a
/// `lint-ignore-reason` error, and one that silences nothing is a `lint-ignore-unused` warning.
struct LintSuppressions {
    static let descriptions = [
        "lint-ignore-reason": "every x-lint-ignore entry gives a reason",
        "lint-ignore-unused": "every x-lint-ignore entry silences a finding",
    ]

    /// One rule silenced over a range of lines of one file.
    struct Suppression {
        var rule: String
        var file: String
        var lines: ClosedRange<Int>
        /// Where the entry is written.
        var location: SourceLocation
    }

    private(set) var suppressions: [Suppression] = []
    private(set) var problems: [Diagnostic] = []

    init(_ document: BundledDocument) {
        guard document.hasLintSuppressions else { return }
        var path: [String] = []
        visit(document.root, keyLine: document.root.mark?.line ?? 1, path: &path, document: document)
    }

    /// `path` is the pointer's tokens, kept on a stack: a pointer is made only where a suppression is.
    private mutating func visit(_ node: Node, keyLine: Int, path: inout [String], document: BundledDocument) {
        switch node {
        case .mapping(let mapping):
            for index in mapping.indices {
                let pair = mapping[index]
                guard case .scalar(let key) = pair.key else { continue }
                if key.string == "x-lint-ignore" {
                    record(pair.value, scope: node, keyLine: keyLine, pointer: JSONPointer(path + [key.string]), document: document)
                } else if pair.value.isMapping || pair.value.isSequence {
                    path.append(key.string)
                    visit(pair.value, keyLine: key.mark?.line ?? keyLine, path: &path, document: document)
                    path.removeLast()
                }
            }
        case .sequence:
            for (index, element) in node.elements.enumerated() where element.isMapping || element.isSequence {
                path.append(String(index))
                visit(element, keyLine: element.mark?.line ?? keyLine, path: &path, document: document)
                path.removeLast()
            }
        default:
            break
        }
    }

    private mutating func record(_ entries: Node, scope: Node, keyLine: Int, pointer: JSONPointer, document: BundledDocument) {
        let file = document.sourceMap.file(of: pointer)
        let lines = keyLine...max(keyLine, Self.lastLine(scope))
        func add(_ rule: String, reason: String?, at node: Node) {
            let location = document.location(of: pointer, node: node)
            if (reason ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
                problems.append(Diagnostic(.error, "x-lint-ignore of \(rule) gives no reason (write `\(rule): <why>`)", at: location, rule: "lint-ignore-reason"))
            }
            suppressions.append(Suppression(rule: rule, file: file, lines: lines, location: location))
        }
        switch entries {
        case .mapping(let mapping):
            for (key, value) in mapping {
                guard let rule = key.string else { continue }
                add(rule, reason: value.string, at: key)
            }
        case .sequence:
            for element in entries.elements {
                guard let rule = element.string else { continue }
                add(rule, reason: nil, at: element)
            }
        default:
            if let rule = entries.string { add(rule, reason: nil, at: entries) }
        }
    }

    /// The last line any node of `node` starts on.
    private static func lastLine(_ node: Node) -> Int {
        var line = node.mark?.line ?? 0
        switch node {
        case .mapping(let mapping):
            for (key, value) in mapping { line = max(line, key.mark?.line ?? 0, lastLine(value)) }
        case .sequence(let sequence):
            for element in sequence { line = max(line, lastLine(element)) }
        default:
            break
        }
        return line
    }

    /// `findings` without the suppressed ones, plus the problems of the suppressions themselves.
    func apply(to findings: [Diagnostic]) -> [Diagnostic] {
        var used = Set<Int>()
        var kept: [Diagnostic] = []
        for finding in findings {
            let matching = suppressions.indices.filter { index in
                let suppression = suppressions[index]
                guard suppression.rule == finding.ruleID, let location = finding.location else { return false }
                return location.file == suppression.file && suppression.lines.contains(location.line)
            }
            if matching.isEmpty { kept.append(finding) } else { used.formUnion(matching) }
        }
        for (index, suppression) in suppressions.enumerated() where !used.contains(index) {
            kept.append(Diagnostic(.warning, "x-lint-ignore of \(suppression.rule) silences nothing here", at: suppression.location, rule: "lint-ignore-unused"))
        }
        return kept + problems
    }
}
