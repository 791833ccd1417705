import ContractGenTemplates
import Foundation
import Mustache

/// Renders view-model contexts with the Mustache templates: the bundled ones, each replaceable
/// by a file of the same name in an override directory.
public struct TemplateRenderer {
    private var library = MustacheLibrary()
    public private(set) var templateFiles: [String] = []

    /// The bundled templates directory (inside the tool's resource bundle).
    public static var bundledDirectory: String? {
        TemplateBundle.swiftTemplatesDirectory?.path
    }

    public init(overrideDirectory: String?) throws(ContractGenFailure) {
        guard let bundled = Self.bundledDirectory else {
            throw ContractGenFailure([Diagnostic(.error, "the bundled templates are missing from the contractgen installation")])
        }
        try register(directory: bundled)
        if let overrideDirectory {
            try register(directory: overrideDirectory)
        }
    }

    private mutating func register(directory: String) throws(ContractGenFailure) {
        let files: [String]
        do {
            files = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".mustache") }.sorted()
        } catch {
            throw ContractGenFailure([Diagnostic(.error, "cannot read the templates directory \(directory): \(error.localizedDescription)")])
        }
        for file in files {
            let path = directory + "/" + file
            guard let text = FileManager.default.contents(atPath: path).flatMap({ String(data: $0, encoding: .utf8) }) else {
                throw ContractGenFailure([Diagnostic(.error, "cannot read template \(path)")])
            }
            do {
                try library.register(text, named: String(file.dropLast(".mustache".count)))
            } catch {
                throw ContractGenFailure([Diagnostic(.error, "template \(path) does not parse: \(error)", at: SourceLocation(file: path, line: 1, column: 1))])
            }
            templateFiles.append(path)
        }
    }

    /// Renders `template` with `context`; trailing white space on lines is removed.
    public func render(_ template: String, _ context: [String: Any]) -> String {
        Self.tidy(library.render(context, withTemplate: template) ?? "")
    }

    /// Removes spaces before each line break and leading and trailing line breaks, in one pass over
    /// the UTF-8 bytes (rendered files are large; Foundation's trimming bridges through UTF-16).
    static func tidy(_ text: String) -> String {
        var text = text
        return text.withUTF8 { input in
            String(unsafeUninitializedCapacity: input.count) { output in
                var count = 0
                var pendingSpaces = 0
                for byte in input {
                    switch byte {
                    case UInt8(ascii: " "):
                        pendingSpaces += 1
                    case UInt8(ascii: "\n"):
                        pendingSpaces = 0
                        if count > 0 {
                            output[count] = byte
                            count += 1
                        }
                    default:
                        while pendingSpaces > 0 {
                            output[count] = UInt8(ascii: " ")
                            count += 1
                            pendingSpaces -= 1
                        }
                        output[count] = byte
                        count += 1
                    }
                }
                while count > 0, output[count - 1] == UInt8(ascii: "\n") { count -= 1 }
                return count
            }
        }
    }
}
