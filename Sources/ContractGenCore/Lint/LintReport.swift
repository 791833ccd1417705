import Foundation

/// Lint findings rendered for people (`human`, with the offending line), tools (`json`),
/// code-scanning (`sarif`, SARIF 2.1.0) and GitHub Actions workflow annotations (`github`).
public enum LintReport {
    public enum Format: String, CaseIterable, Sendable {
        case human, json, sarif, github
    }

    public static func render(_ diagnostics: [Diagnostic], format: Format) -> String {
        switch format {
        case .human: human(diagnostics)
        case .json: json(diagnostics)
        case .sarif: sarif(diagnostics)
        case .github: github(diagnostics)
        }
    }

    /// `file:line:col: error: message [rule]`, then the line and a caret under the column.
    static func human(_ diagnostics: [Diagnostic]) -> String {
        var files: [String: [Substring]] = [:]
        var output = ""
        for diagnostic in diagnostics {
            output += diagnostic.description + "\n"
            guard let location = diagnostic.location else { continue }
            if files[location.file] == nil {
                files[location.file] = lines(of: (try? String(contentsOfFile: location.file, encoding: .utf8)) ?? "")
            }
            guard let lines = files[location.file], location.line >= 1, location.line <= lines.count else { continue }
            let line = lines[location.line - 1]
            output += "    " + line + "\n"
            output += "    " + String(repeating: " ", count: max(0, location.column - 1)) + "^\n"
        }
        let errors = diagnostics.filter { $0.severity == .error }.count
        output += "\(errors) error\(errors == 1 ? "" : "s"), \(diagnostics.count - errors) warning\(diagnostics.count - errors == 1 ? "" : "s")\n"
        return output
    }

    /// The lines of `text`, split on the UTF-8 bytes (splitting a 3 MB description by `Character` takes a tenth of a second).
    private static func lines(of text: String) -> [Substring] {
        var lines: [Substring] = []
        var start = text.startIndex
        let utf8 = text.utf8
        var index = utf8.startIndex
        while index < utf8.endIndex {
            if utf8[index] == UInt8(ascii: "\n") {
                lines.append(text[start..<index])
                start = utf8.index(after: index)
            }
            index = utf8.index(after: index)
        }
        lines.append(text[start...])
        return lines
    }

    static func json(_ diagnostics: [Diagnostic]) -> String {
        let items: [[String: Any]] = diagnostics.map { diagnostic in
            var item: [String: Any] = ["severity": diagnostic.severity.rawValue, "message": diagnostic.message, "rule": diagnostic.ruleID ?? NSNull()]
            if let location = diagnostic.location {
                item["file"] = location.file
                item["line"] = location.line
                item["column"] = location.column
            }
            return item
        }
        return serialize(["findings": items, "errors": diagnostics.filter { $0.severity == .error }.count])
    }

    static func sarif(_ diagnostics: [Diagnostic]) -> String {
        let rules = Set(diagnostics.compactMap(\.ruleID)).sorted()
        let results: [[String: Any]] = diagnostics.map { diagnostic in
            var result: [String: Any] = [
                "ruleId": diagnostic.ruleID ?? "contractgen",
                "level": diagnostic.severity == .error ? "error" : diagnostic.severity == .warning ? "warning" : "note",
                "message": ["text": diagnostic.message],
            ]
            if let location = diagnostic.location {
                result["locations"] = [[
                    "physicalLocation": [
                        "artifactLocation": ["uri": location.file],
                        "region": ["startLine": max(1, location.line), "startColumn": max(1, location.column)],
                    ],
                ]]
            }
            return result
        }
        let document: [String: Any] = [
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "version": "2.1.0",
            "runs": [[
                "tool": ["driver": [
                    "name": "contractgen", "informationUri": "https://github.com/watermark/contractgen",
                    "rules": rules.map { ["id": $0, "shortDescription": ["text": ContractLinter.ownRules[$0] ?? $0]] },
                ]],
                "results": results,
            ]],
        ]
        return serialize(document)
    }

    /// `::error file=…,line=…,col=…,title=rule::message`, one per finding.
    static func github(_ diagnostics: [Diagnostic]) -> String {
        diagnostics.map { diagnostic in
            let command = diagnostic.severity == .error ? "error" : diagnostic.severity == .warning ? "warning" : "notice"
            var properties: [String] = []
            if let location = diagnostic.location {
                properties += ["file=\(escapeProperty(location.file))", "line=\(location.line)", "col=\(location.column)"]
            }
            if let rule = diagnostic.ruleID { properties.append("title=\(escapeProperty(rule))") }
            return "::\(command) \(properties.joined(separator: ","))::\(escapeData(diagnostic.message))\n"
        }.joined()
    }

    // GitHub's workflow-command escaping.
    private static func escapeData(_ text: String) -> String {
        text.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\r", with: "%0D").replacingOccurrences(of: "\n", with: "%0A")
    }

    private static func escapeProperty(_ text: String) -> String {
        escapeData(text).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
    }

    private static func serialize(_ value: Any) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: value, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
