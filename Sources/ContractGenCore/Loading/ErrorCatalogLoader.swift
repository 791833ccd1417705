import Foundation
import Yams

/// Reads `errors.yaml`: `errors: [{code, name, http, message: {en, zh-CN}, when, scope, details}]`.
public enum ErrorCatalogLoader {
    public static func load(_ file: String) -> (ErrorCatalog?, [Diagnostic]) {
        var diagnostics = DiagnosticCollector()
        guard let data = FileManager.default.contents(atPath: file), let text = String(data: data, encoding: .utf8) else {
            diagnostics.error("cannot read \(file)", at: nil)
            return (nil, diagnostics.diagnostics)
        }
        let root: Node
        do {
            // `.basic`: plain scalars stay strings (`Node.literal` applies YAML's core schema itself);
            // Yams' default resolver runs regular expressions on every key it hashes.
            guard let node = try Yams.compose(yaml: text, .basic) else {
                diagnostics.error("\(file) is empty", at: SourceLocation(file: file, line: 1, column: 1))
                return (nil, diagnostics.diagnostics)
            }
            root = node
        } catch let error as YamlError {
            return (nil, [ReferenceBundler.diagnostic(for: error, file: file)])
        } catch {
            return (nil, [Diagnostic(.error, "cannot parse \(file): \(error)")])
        }
        func location(_ node: Node) -> SourceLocation {
            SourceLocation(file: file, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1)
        }
        guard let list = root.child("errors"), list.isSequence else {
            diagnostics.error("the catalog needs a top-level 'errors' list", at: location(root), rule: "catalog-shape")
            return (nil, diagnostics.diagnostics)
        }
        var entries: [ErrorCatalog.Entry] = []
        var codes: Set<Int> = []
        var names: Set<String> = []
        for node in list.elements {
            guard let code = node.child("code")?.intValue, let name = node.child("name")?.string, let http = node.child("http")?.intValue else {
                diagnostics.error("a catalog entry needs 'code', 'name' and 'http'", at: location(node), rule: "catalog-shape")
                continue
            }
            if !codes.insert(code).inserted { diagnostics.error("error code \(code) is listed twice", at: location(node), rule: "catalog-unique") }
            if !names.insert(name).inserted { diagnostics.error("error name \(name) is listed twice", at: location(node), rule: "catalog-unique") }
            if !(100...599).contains(http) { diagnostics.error("'http' must be an HTTP status", at: location(node.child("http") ?? node), rule: "catalog-shape") }
            var messages: [String: String] = [:]
            for (language, message) in node.child("message")?.pairs ?? [] {
                messages[language] = message.string
            }
            if messages.isEmpty { diagnostics.error("catalog entry \(code) has no message", at: location(node), rule: "catalog-messages") }
            var scope = ErrorCatalog.Scope.response
            if let scopeNode = node.child("scope") {
                if let value = scopeNode.string.flatMap(ErrorCatalog.Scope.init(rawValue:)) {
                    scope = value
                } else {
                    let allowed = ErrorCatalog.Scope.allCases.map(\.rawValue).joined(separator: " or ")
                    diagnostics.error("'scope' must be \(allowed)", at: location(scopeNode), rule: "catalog-shape")
                }
            }
            entries.append(ErrorCatalog.Entry(
                code: code, name: name, httpStatus: http, messages: messages, usage: node.child("when")?.string, scope: scope,
                carriesDetails: node.child("details")?.boolValue ?? false, location: location(node)))
        }
        return (ErrorCatalog(entries: entries, sourceFile: file), diagnostics.diagnostics)
    }

    /// The catalog used for a contract that brings none: the runtime's standard answers.
    public static let standard = ErrorCatalog(entries: [
        .init(code: 40001, name: "INVALID_ARGUMENT", httpStatus: 400, messages: ["en": "The request is invalid."], usage: nil, location: nil),
        .init(code: 40101, name: "UNAUTHENTICATED", httpStatus: 401, messages: ["en": "Authentication is required."], usage: nil, location: nil),
        .init(code: 40102, name: "TOKEN_EXPIRED", httpStatus: 401, messages: ["en": "The access token has expired."], usage: nil, location: nil),
        .init(code: 40301, name: "FORBIDDEN", httpStatus: 403, messages: ["en": "You may not do this."], usage: nil, location: nil),
        .init(code: 40401, name: "NOT_FOUND", httpStatus: 404, messages: ["en": "Not found."], usage: nil, location: nil),
        .init(code: 40501, name: "METHOD_NOT_ALLOWED", httpStatus: 405, messages: ["en": "The method is not allowed here."], usage: nil, location: nil),
        .init(code: 41301, name: "PAYLOAD_TOO_LARGE", httpStatus: 413, messages: ["en": "The request body is too large."], usage: nil, location: nil),
        .init(code: 41501, name: "UNSUPPORTED_MEDIA_TYPE", httpStatus: 415, messages: ["en": "The content type is not supported."], usage: nil, location: nil),
        .init(code: 50001, name: "INTERNAL", httpStatus: 500, messages: ["en": "Internal error."], usage: nil, location: nil),
    ], sourceFile: nil)

    /// Catalog names the runtime answers with itself, by the slot they fill.
    public static let runtimeSlots: [(slot: String, name: String)] = [
        ("invalidArgument", "INVALID_ARGUMENT"), ("unauthenticated", "UNAUTHENTICATED"), ("tokenExpired", "TOKEN_EXPIRED"),
        ("forbidden", "FORBIDDEN"), ("notFound", "NOT_FOUND"), ("methodNotAllowed", "METHOD_NOT_ALLOWED"),
        ("payloadTooLarge", "PAYLOAD_TOO_LARGE"), ("unsupportedMediaType", "UNSUPPORTED_MEDIA_TYPE"), ("internalError", "INTERNAL"),
    ]
}
