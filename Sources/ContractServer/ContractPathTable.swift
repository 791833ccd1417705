import ContractRuntime

/// The contract's path templates with the methods each declares, for answering a method the router
/// has no routes for (`TRACE`, `QUERY`, `PROPFIND`, …) on a known path with 405 and `Allow`.
public struct ContractPathTable: Sendable {
    private struct Entry: Sendable {
        let segments: [Substring?]  // nil: a `{parameter}`
        let methods: [String]
        var literalCount: Int { segments.count { $0 != nil } }
    }

    private let entries: [Entry]

    public init(_ paths: [(path: String, methods: [String])]) {
        entries = paths.map { path, methods in
            Entry(
                segments: path.split(separator: "/", omittingEmptySubsequences: false).map { segment in
                    segment.hasPrefix("{") && segment.hasSuffix("}") ? nil : segment
                },
                methods: methods.map { $0.uppercased() }.sorted())
        }
    }

    /// The methods declared for the template `path` matches (literal segments win over parameters,
    /// as in the router), or nil when it matches none.
    public func allowedMethods(for path: String) -> [String]? {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        let matches = entries.filter { entry in
            entry.segments.count == segments.count
                && zip(entry.segments, segments).allSatisfy { template, given in template.map { $0 == given } ?? !given.isEmpty }
        }
        return matches.max { $0.literalCount < $1.literalCount }?.methods
    }
}
