import Foundation

/// Where a contract lives: a contracts directory (OpenAPI root + `errors.yaml`) or one OpenAPI file.
public struct ContractSource: Sendable {
    public var rootFile: String
    public var errorCatalogFile: String?
    /// Paths in diagnostics and headers are shown relative to this directory.
    public var displayBase: String
    /// `db/migrations` of a contracts directory, when it has one.
    public var migrationsDirectory: String?
    /// `db/queries` of a contracts directory, when it has one.
    public var queriesDirectory: String?

    /// Resolves `path`: a directory is searched for its OpenAPI root (`openapi.yaml|yml|json`,
    /// the shallowest first) and its `errors.yaml`.
    public init(path: String) throws(ContractGenFailure) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ContractGenFailure([Diagnostic(.error, "\(path) does not exist")])
        }
        let trimmed = path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
        if isDirectory.boolValue {
            let names = ["openapi.yaml", "openapi.yml", "openapi.json"]
            let enumerator = FileManager.default.enumerator(atPath: trimmed)
            var candidates: [String] = []
            while let relative = enumerator?.nextObject() as? String {
                if names.contains((relative as NSString).lastPathComponent) { candidates.append(relative) }
            }
            candidates.sort { ($0.split(separator: "/").count, $0) < ($1.split(separator: "/").count, $1) }
            guard let root = candidates.first else {
                throw ContractGenFailure([Diagnostic(.error, "\(path) holds no openapi.yaml, openapi.yml or openapi.json")])
            }
            rootFile = trimmed + "/" + root
            let catalog = trimmed + "/errors.yaml"
            errorCatalogFile = FileManager.default.fileExists(atPath: catalog) ? catalog : nil
            displayBase = (trimmed as NSString).deletingLastPathComponent
            let existing = { (relative: String) -> String? in
                var isDirectory: ObjCBool = false
                let candidate = trimmed + "/" + relative
                return FileManager.default.fileExists(atPath: candidate, isDirectory: &isDirectory) && isDirectory.boolValue ? candidate : nil
            }
            migrationsDirectory = existing("db/migrations")
            queriesDirectory = existing("db/queries")
        } else {
            rootFile = trimmed
            errorCatalogFile = nil
            displayBase = (trimmed as NSString).deletingLastPathComponent
        }
    }
}
