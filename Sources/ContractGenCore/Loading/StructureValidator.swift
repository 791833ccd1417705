import Dispatch
import Foundation
import OpenAPIKit
import Yams

/// Checks the bundled document against OpenAPIKit's OpenAPI 3.x model. OpenAPIKit stops at the
/// first structural problem; it is reported at its place in the contract. Unknown fields are
/// `FixedFieldCheck`'s (all of them, each at its key): OpenAPIKit decodes vendor extensions by
/// decoding every object, and every schema with its whole subtree, a second time as untyped
/// values, which was half of its time, so it is told to skip them.
///
/// Decoding the whole document is the slowest step of loading, so `start` runs it on another
/// core while the rest of the pipeline goes on; `Pending.finish` waits for it.
enum StructureValidator {
    static func validate(_ document: BundledDocument, severity: Diagnostic.Severity = .warning) -> [Diagnostic] {
        start(document, severity: severity).finish()
    }

    static func start(_ document: BundledDocument, severity: Diagnostic.Severity = .warning) -> Pending {
        Pending(document: document, severity: severity, work: BackgroundWork {
            (decodeFailure(openAPIKitInput(document)), FixedFieldCheck.check(document, severity: severity))
        })
    }

    /// The JSON OpenAPIKit decodes (from JSON: Yams' decoder turns some scalars into other types
    /// than JSON would). OpenAPIKit reads 3.0 documents through its 3.1 model (nullable and boolean
    /// bounds are normalized by the bundler), so the version is presented as 3.1. See
    /// `JSONRendering.Purpose.structureCheck` for what else differs from the published JSON.
    private static func openAPIKitInput(_ document: BundledDocument) -> Data {
        var root = document.root
        if document.openAPIVersion.hasPrefix("3.0"), case .mapping(var mapping) = root {
            mapping["openapi"] = Node("3.1.0")
            root = .mapping(mapping)
        }
        return Data(JSONRendering.render(root, for: .structureCheck).utf8)
    }

    /// Where OpenAPIKit stopped, and why; nil when the document decoded.
    private static func decodeFailure(_ json: Data) -> Failure? {
        do {
            let decoder = JSONDecoder()
            decoder.userInfo[VendorExtensionsConfiguration.enabledKey] = false
            _ = try decoder.decode(OpenAPI.Document.self, from: json)
            return nil
        } catch {
            let openAPIError = OpenAPI.Error(from: error)
            let tokens = openAPIError.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }
            return Failure(message: openAPIError.localizedDescription, tokens: tokens)
        }
    }

    struct Failure: Sendable {
        var message: String
        var tokens: [String]
    }

    /// A check running in the background.
    struct Pending {
        let document: BundledDocument
        let severity: Diagnostic.Severity
        let work: BackgroundWork<(Failure?, [Diagnostic])>

        /// Waits for the check; its diagnostics.
        func finish() -> [Diagnostic] {
            let (failure, unknownFields) = work.wait()
            guard let failure else { return unknownFields }
            return unknownFields + [Diagnostic(
                severity, "not valid OpenAPI: \(failure.message)",
                at: document.location(of: JSONPointer(failure.tokens)), rule: "oas-structure")]
        }
    }
}
