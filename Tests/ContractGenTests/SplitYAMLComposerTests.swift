@testable import ContractGenCore
import Foundation
import Testing
import Yams

/// The two-part parse of large contracts gives exactly the tree (values, keys, lines and columns)
/// of one parse, and falls back to one parse wherever a cut could change the result.
@Suite("split YAML parsing")
struct SplitYAMLComposerTests {
    /// Every node with its position, in document order.
    static func dump(_ node: Node?, into lines: inout [String], indent: String = "") {
        guard let node else { return lines.append("nil") }
        let place = node.mark.map { "\($0.line):\($0.column)" } ?? "-"
        switch node {
        case .scalar(let scalar):
            lines.append("\(indent)\(place) \(scalar.style) \(scalar.string)")
        case .mapping(let mapping):
            lines.append("\(indent)\(place) {")
            for pair in mapping {
                dump(pair.key, into: &lines, indent: indent + "  ")
                dump(pair.value, into: &lines, indent: indent + "    ")
            }
        case .sequence(let sequence):
            lines.append("\(indent)\(place) [")
            for element in sequence { dump(element, into: &lines, indent: indent + "  ") }
        case .alias:
            lines.append("\(indent)\(place) alias")
        }
    }

    static func expectSameTree(_ text: String, minimumSize: Int = 0, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        var split: [String] = [], whole: [String] = []
        dump(try SplitYAMLComposer.compose(text, minimumSize: minimumSize), into: &split)
        dump(try Yams.compose(yaml: text, .basic), into: &whole)
        #expect(split.count == whole.count, sourceLocation: sourceLocation)
        #expect(split == whole, sourceLocation: sourceLocation)
    }

    /// A contract-shaped document: `count` schemas under components/schemas, so the middle line
    /// is deep inside a nested mapping.
    static func contract(schemas count: Int) -> String {
        var text = "openapi: 3.1.0\ninfo:\n  title: Big\n  version: '1'\npaths:\n  /a:\n    get:\n      responses: {'200': {description: ok}}\ncomponents:\n  schemas:\n"
        for index in 0..<count {
            text += """
                Schema\(index):
                  # a comment line
                  type: object
                  description: |
                    Block text for \(index).
                      indented: not a key
                  properties:
                    name: {type: string, maxLength: \(index)}
                    tags:
                    - a
                    - "b c"

            """
        }
        return text + "x-trailer:\n  done: true\n"
    }

    @Test func cutsALargeContractInsideANestedMappingAndGetsTheSameTree() throws {
        let text = Self.contract(schemas: 2_000)
        #expect(text.utf8.count > SplitYAMLComposer.minimumSize)
        let cut = try #require(SplitYAMLComposer.Cut.find(in: text))
        #expect(cut.parents.prefix(2) == ["components", "schemas"] && cut.parents.count >= 3)
        let headLines = cut.head.split(separator: "\n", omittingEmptySubsequences: false).count - 1
        #expect(cut.tail.hasPrefix(String(repeating: "\n", count: headLines - cut.parents.count) + "components:\n  schemas:\n"), "every line keeps its number")
        try Self.expectSameTree(text, minimumSize: SplitYAMLComposer.minimumSize)
    }

    @Test(arguments: ["openai.yaml", "twilio_api_v2010.yaml", "twilio_conversations_v1.yaml"])
    func corpusDocumentsGiveTheSameTree(_ name: String) throws {
        let path = PipelineTests.root + "/../shared/corpus/openapi/" + name
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(SplitYAMLComposer.Cut.find(in: text) != nil)
        try Self.expectSameTree(text, minimumSize: SplitYAMLComposer.minimumSize)
    }

    @Test func anAnchorUsedAfterTheCutFallsBackToOneParse() throws {
        var text = "base: &base\n  type: string\nitems:\n"
        for index in 0..<40 { text += "  i\(index):\n    value: \(index)\n" }
        text += "  last:\n    schema: *base\n"
        #expect(SplitYAMLComposer.Cut.find(in: text) != nil)
        try Self.expectSameTree(text)
    }

    @Test func aQuotedScalarOverTheCutFallsBackToOneParse() throws {
        var text = "first:\n  a: 1\n"
        for index in 0..<20 { text += "  k\(index): \(index)\n" }
        text += "text: \"starts here\n"
        for index in 0..<40 { text += "looks\(index):\n" }
        text += "ends here\"\nlast: 1\n"
        let cut = try #require(SplitYAMLComposer.Cut.find(in: text))
        #expect(cut.head.contains("\"starts here") && !cut.head.contains("ends here"), "the cut is inside the quoted scalar")
        try Self.expectSameTree(text)
    }

    @Test func aKeyRepeatedAcrossTheCutIsTheSameErrorAsOneParse() throws {
        var text = "paths:\n"
        for index in 0..<40 { text += "  /p\(index):\n    x: \(index)\n" }
        text += "paths:\n  /q: {}\n"
        for index in 0..<40 { text += "z\(index): 1\n" }
        #expect(SplitYAMLComposer.Cut.find(in: text) != nil)
        Self.expectSameError(text)
    }

    @Test func aSyntaxErrorAfterTheCutIsReportedAsByOneParse() throws {
        var text = ""
        for index in 0..<40 { text += "k\(index):\n  v: \(index)\n" }
        text += "broken:\n  - a\n  b: c\n"
        Self.expectSameError(text)
    }

    /// The split parse fails with exactly the error (message and position) of one parse.
    static func expectSameError(_ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let whole = #expect(throws: YamlError.self, sourceLocation: sourceLocation) { try Yams.compose(yaml: text, .basic) }
        let split = #expect(throws: YamlError.self, sourceLocation: sourceLocation) { try SplitYAMLComposer.compose(text, minimumSize: 0) }
        #expect(split.map { "\($0)" } == whole.map { "\($0)" }, sourceLocation: sourceLocation)
    }

    @Test func documentsThatCannotBeCutSafelyAreParsedWhole() {
        let keys = (0..<40).map { "k\($0):\n  v: \($0)\n" }.joined()
        #expect(SplitYAMLComposer.Cut.find(in: keys) != nil, "the same keys alone can be cut")
        #expect(SplitYAMLComposer.Cut.find(in: "%YAML 1.2\n---\n" + keys) == nil, "directives")
        #expect(SplitYAMLComposer.Cut.find(in: keys + "---\n" + keys) == nil, "several documents")
        #expect(SplitYAMLComposer.Cut.find(in: keys.replacingOccurrences(of: "\n", with: "\r\n")) == nil, "CR line ends")
        #expect(SplitYAMLComposer.Cut.find(in: "{\n" + (0..<40).map { "k\($0):\n  {v: \($0)},\n" }.joined() + "}\n") == nil, "flow style")
        let list = (0..<40).map { "- k\($0):\n    v: \($0)\n" }.joined()
        #expect(SplitYAMLComposer.Cut.find(in: list) == nil, "a sequence at the root")
    }
}
