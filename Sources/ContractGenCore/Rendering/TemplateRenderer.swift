import ContractGenTemplates
import Foundation
import Mustache

/// Renders an IR with the Mustache templates of one target language: the bundled ones, each
/// replaceable by a file of the same name in an override directory. Only the templates a generation
/// renders, and the partials they use, are parsed (parsing is a large part of a small contract's
/// generation time).
public struct TemplateRenderer {
    private var library = MustacheLibrary()
    /// The templates parsed, which `render` may be asked for.
    private var parsed: Set<String> = []
    public private(set) var templateFiles: [String] = []

    /// The bundled templates directory (inside the tool's resource bundle).
    public static var bundledDirectory: String? {
        TemplateBundle.swiftTemplatesDirectory?.path
    }

    /// The bundled TypeScript templates directory (the TypeScript client).
    public static var bundledTypeScriptDirectory: String? {
        TemplateBundle.typeScriptTemplatesDirectory?.path
    }

    /// The renderer of the Swift templates, or with `typeScript` of the TypeScript client's. With
    /// `roots`, only those templates and the partials they reach are parsed (all of them when a
    /// template changes its delimiters or names a partial dynamically, which a scan cannot follow).
    public init(overrideDirectory: String?, typeScript: Bool = false, roots: [String]? = nil) throws(ContractGenFailure) {
        guard let bundled = typeScript ? Self.bundledTypeScriptDirectory : Self.bundledDirectory else {
            throw ContractGenFailure([Diagnostic(.error, "the bundled templates are missing from the contractgen installation")])
        }
        var texts: [String: (text: String, path: String)] = [:]
        try read(directory: bundled, into: &texts)
        if let overrideDirectory {
            try read(directory: overrideDirectory, into: &texts)
        }
        let wanted = roots.flatMap { Self.reachable(from: $0, in: texts.mapValues(\.text)) } ?? Set(texts.keys)
        for name in texts.keys.sorted() where wanted.contains(name) {
            let (text, path) = texts[name]!
            do {
                try library.register(text, named: name)
            } catch {
                throw ContractGenFailure([Diagnostic(.error, "template \(path) does not parse: \(error)", at: SourceLocation(file: path, line: 1, column: 1))])
            }
            parsed.insert(name)
        }
    }

    /// Reads the `.mustache` files of `directory` into `texts` (name → text and path), replacing
    /// templates of the same name.
    private mutating func read(directory: String, into texts: inout [String: (text: String, path: String)]) throws(ContractGenFailure) {
        let files: [String]
        do {
            files = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".mustache") }.sorted()
        } catch {
            throw ContractGenFailure([Diagnostic(.error, "cannot read the templates directory \(directory): \(error.localizedDescription)")])
        }
        for file in files {
            let path = directory + "/" + file
            guard var text = FileManager.default.contents(atPath: path).flatMap({ String(data: $0, encoding: .utf8) }) else {
                throw ContractGenFailure([Diagnostic(.error, "cannot read template \(path)")])
            }
            let name = String(file.dropLast(".mustache".count))
            // An `inline-` template is a fragment of a line (a path, a condition): the line break
            // an editor adds at the end of the file is not part of it.
            if name.hasPrefix("inline-") {
                while text.last?.isNewline == true { text.removeLast() }
            }
            texts[name] = (text, path)
            templateFiles.append(path)
        }
    }

    /// The templates `roots` use through partials (`{{> name}}`, `{{< parent}}`), themselves
    /// included; nil when a template sets other delimiters or names a partial dynamically.
    static func reachable(from roots: [String], in texts: [String: String]) -> Set<String>? {
        var found: Set<String> = []
        var pending = roots
        while let name = pending.popLast() {
            guard found.insert(name).inserted, let text = texts[name] else { continue }
            guard !text.contains("{{="), !text.contains("{{>*"), !text.contains("{{> *") else { return nil }
            var rest = text[...]
            while let open = rest.range(of: "{{") {
                rest = rest[open.upperBound...]
                let tag = rest.drop { $0 == " " }
                guard let sigil = tag.first, sigil == ">" || sigil == "<", let close = tag.range(of: "}}") else { continue }
                let partial = tag[tag.index(after: tag.startIndex)..<close.lowerBound].trimmingCharacters(in: .whitespaces)
                if !partial.isEmpty { pending.append(partial) }
            }
        }
        return found
    }

    /// Renders `template` with `context` (an IR value, or a dictionary); trailing white space on lines is removed.
    public func render(_ template: String, _ context: Any) -> String {
        precondition(parsed.contains(template), "template \(template) is rendered but not among the renderer's roots")
        return Self.tidy(library.render(context, withTemplate: template) ?? "")
    }

    /// Tidies rendered text in one pass over the UTF-8 bytes (rendered files are large; Foundation's
    /// trimming bridges through UTF-16): removes spaces before each line break and leading and
    /// trailing line breaks, and applies the indentation marks. A line that is only `⇥` indents
    /// the lines after it by four more spaces (a nested declaration, a loop's body) and `⇤` ends
    /// that; both lines are removed. (Templates mark nesting so because a Mustache partial's own
    /// indentation is lost on a section's second and later items.)
    static func tidy(_ text: String) -> String {
        var text = text
        return text.withUTF8 { input in
            var output: [UInt8] = []
            output.reserveCapacity(input.count + input.count / 4)
            var depth = 0
            var pendingBreaks = 0
            var lineStart = 0
            while lineStart <= input.count {
                var lineEnd = lineStart
                while lineEnd < input.count, input[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
                var contentEnd = lineEnd
                while contentEnd > lineStart, input[contentEnd - 1] == UInt8(ascii: " ") { contentEnd -= 1 }
                var contentStart = lineStart
                while contentStart < contentEnd, input[contentStart] == UInt8(ascii: " ") { contentStart += 1 }
                if contentEnd - contentStart == 3, input[contentStart] == 0xE2, input[contentStart + 1] == 0x87,
                   input[contentStart + 2] == 0xA5 || input[contentStart + 2] == 0xA4 {
                    depth = max(0, depth + (input[contentStart + 2] == 0xA5 ? 1 : -1))
                } else if contentEnd > lineStart {
                    if !output.isEmpty {
                        output.append(contentsOf: repeatElement(UInt8(ascii: "\n"), count: pendingBreaks))
                    }
                    pendingBreaks = 0
                    output.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 4 * depth))
                    output.append(contentsOf: input[lineStart..<contentEnd])
                    pendingBreaks = 1
                } else if !output.isEmpty {
                    pendingBreaks += 1
                }
                lineStart = lineEnd + 1
            }
            return String(decoding: output, as: UTF8.self)
        }
    }
}
