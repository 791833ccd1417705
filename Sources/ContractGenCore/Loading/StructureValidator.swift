import Foundation
import OpenAPIKit
import Yams

/// Checks the bundled document against OpenAPIKit's OpenAPI 3.x model. OpenAPIKit stops at the
/// first structural problem; it is reported at its place in the contract.
enum StructureValidator {
    static func validate(_ document: BundledDocument, severity: Diagnostic.Severity = .warning) -> [Diagnostic] {
        var root = document.root
        // OpenAPIKit reads 3.0 documents through its 3.1 model (nullable and boolean bounds are
        // normalized by the bundler), so the version is presented as 3.1.
        if document.openAPIVersion.hasPrefix("3.0"), case .mapping(var mapping) = root {
            mapping["openapi"] = Node("3.1.0")
            root = .mapping(mapping)
        }
        do {
            // Decoded from JSON: Yams' decoder turns some scalars into other types than JSON would.
            _ = try JSONDecoder().decode(OpenAPI.Document.self, from: Data(JSONRendering.render(root).utf8))
            return []
        } catch {
            let openAPIError = OpenAPI.Error(from: error)
            let tokens = openAPIError.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }
            return [Diagnostic(
                severity, "not valid OpenAPI: \(openAPIError.localizedDescription)",
                at: document.location(of: JSONPointer(tokens)), rule: "oas-structure")]
        }
    }
}
