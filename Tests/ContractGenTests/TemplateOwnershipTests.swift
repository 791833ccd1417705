import ContractGenCore
import Foundation
import Testing

/// The templates alone write the generated Swift: a team can change how validators are written by
/// overriding a template, and the generator's own sources assemble no Swift statements.
@Suite struct TemplateOwnershipTests {
    @Test func aCustomCheckTemplateChangesHowValidatorsAreWritten() throws {
        let bundled = try #require(TemplateRenderer.bundledDirectory)
        let directory = try PipelineTests.temporaryDirectory()
        let original = try String(contentsOfFile: bundled + "/check-length.mustache", encoding: .utf8)
        try original.replacingOccurrences(of: "Check.length(", with: "StrictChecks.length(")
            .write(toFile: directory + "/check-length.mustache", atomically: true, encoding: .utf8)

        let source = try ContractSource(path: PipelineTests.fixture)
        let (custom, _) = ContractPipeline.generate(source: source, templatesDirectory: directory, options: .init(shards: 1))
        let (standard, _) = ContractPipeline.generate(source: source, templatesDirectory: nil, options: .init(shards: 1))
        let customFiles = try #require(custom)
        let standardFiles = try #require(standard)

        let lengthChecks = standardFiles.values.joined().components(separatedBy: "Check.length(").count - 1
        #expect(lengthChecks > 2, "the fixture has length constraints on properties and parameters")
        for name in ["API_0.swift"] {
            let customText = try #require(customFiles[name])
            let standardText = try #require(standardFiles[name])
            #expect(!customText.contains(" Check.length("), "\(name) still writes the bundled check")
            // Every length check of properties and parameters, and nothing else, is written the custom way.
            #expect(customText.replacingOccurrences(of: "StrictChecks.length(", with: "Check.length(") == standardText)
        }
        #expect(customFiles.values.joined().components(separatedBy: "StrictChecks.length(").count - 1 == lengthChecks)
    }

    /// Only the templates a generation renders, and the partials they reach, are parsed: a partial
    /// that only an override names is still found, directly or (after a delimiter change, which the
    /// scan cannot follow) because everything is parsed then.
    @Test(arguments: ["{{> team-notice}}", "{{=<% %>=}}<%> team-notice%><%={{ }}=%>"])
    func aPartialOnlyAnOverrideNamesIsRendered(reference: String) throws {
        let bundled = try #require(TemplateRenderer.bundledDirectory)
        let directory = try PipelineTests.temporaryDirectory()
        let original = try String(contentsOfFile: bundled + "/client.mustache", encoding: .utf8)
        try (reference + "\n" + original).write(toFile: directory + "/client.mustache", atomically: true, encoding: .utf8)
        try "// Generated for the widgets team: ask #widgets before editing the contract.\n"
            .write(toFile: directory + "/team-notice.mustache", atomically: true, encoding: .utf8)

        let source = try ContractSource(path: PipelineTests.fixture)
        let (files, diagnostics) = ContractPipeline.generate(
            source: source, templatesDirectory: directory, options: .init(shards: 1, client: true))
        let client = try #require(files?["Client.swift"], "\(diagnostics)")
        #expect(client.contains("\n// Generated for the widgets team: ask #widgets before editing the contract.\n"), "\(client.prefix(400))")
    }

    @Test func theGeneratorsSourcesAssembleNoSwiftStatements() throws {
        // String literals of ContractGenCore that hold Swift syntax: a call of the runtime, a statement
        // keyword, a doc comment, a type constructor. Names, literal tokens (`SwiftLiteral`,
        // `SwiftNaming.literal`) and diagnostics' prose are not Swift text.
        let markers = [
            "&issues", "Check.", "bindings.append", "self.", "let ", "var ", "func ", " -> ", ".appending(",
            "guard ", "Nullable<", "[String: ", "///", "OperationResponse", "ContractViolation(", ".init(",
            // TypeScript and JavaScript (the TypeScript client's templates).
            "export ", " => ", "Promise<", "Array<", "Blob", "interface ", "readonly ", "type: \\\"",
        ]
        let sources = PipelineTests.root + "/Sources/ContractGenCore"
        let enumerator = try #require(FileManager.default.enumerator(atPath: sources))
        var findings: [String] = []
        let literal = try Regex(#""(?:[^"\\\n]|\\.)*""#)
        for case let file as String in enumerator where file.hasSuffix(".swift") {
            let text = try String(contentsOfFile: sources + "/" + file, encoding: .utf8)
            for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let code = line.trimmingCharacters(in: .whitespaces)
                if code.hasPrefix("//") { continue }
                for match in code.matches(of: literal) {
                    let content = Self.withoutInterpolations(String(code[match.range]))
                    if let marker = markers.first(where: { content.contains($0) }) {
                        findings.append("\(file):\(number + 1): \(marker) in \(content)")
                    }
                }
            }
        }
        #expect(findings.isEmpty, "Swift text outside templates/:\n\(findings.joined(separator: "\n"))")
    }

    /// A string literal's text without its `\(…)` interpolations (code, not text of the literal).
    static func withoutInterpolations(_ literal: String) -> String {
        var result = ""
        var depth = 0
        var previous: Character = " "
        for character in literal {
            if depth > 0 {
                if character == "(" { depth += 1 } else if character == ")" { depth -= 1 }
            } else if previous == "\\", character == "(" {
                result.removeLast()
                depth = 1
            } else {
                result.append(character)
            }
            previous = character
        }
        return result
    }
}
