import Foundation

/// The ordered migrations of a directory, checked for naming, pairs and gaps.
public struct MigrationSet: Sendable {
    public var migrations: [Migration]

    public init(migrations: [Migration]) {
        self.migrations = migrations.sorted { $0.version < $1.version }
    }

    /// Reads `NNNN_name.up.sql` / `NNNN_name.down.sql` from `directory`.
    public static func load(directory: String) throws(MigrationError) -> MigrationSet {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { throw .unreadableDirectory(directory) }
        var ups: [String: (Int, String)] = [:]
        var downs: Set<String> = []
        for file in names.sorted() where file.hasSuffix(".sql") {
            guard let match = file.wholeMatch(of: /(\d{4})_([a-z0-9_]+)\.(up|down)\.sql/), let version = Int(match.1) else {
                throw .badFileName(file)
            }
            let stem = "\(match.1)_\(match.2)"
            if match.3 == "up" { ups[stem] = (version, String(match.2)) } else { downs.insert(stem) }
        }
        for stem in downs where ups[stem] == nil { throw .missingUp(stem + ".down.sql") }
        var migrations: [Migration] = []
        var seen: Set<Int> = []
        for (stem, (version, name)) in ups.sorted(by: { $0.value.0 < $1.value.0 }) {
            guard downs.contains(stem) else { throw .missingDown(stem + ".up.sql") }
            guard seen.insert(version).inserted else { throw .duplicateVersion(version) }
            guard let up = try? String(contentsOfFile: "\(directory)/\(stem).up.sql", encoding: .utf8),
                  let down = try? String(contentsOfFile: "\(directory)/\(stem).down.sql", encoding: .utf8)
            else { throw .unreadableDirectory(directory) }
            migrations.append(Migration(version: version, name: name, up: up, down: down))
        }
        for (offset, migration) in migrations.enumerated() where migration.version != offset + 1 {
            throw .gap(expected: offset + 1, found: migration.version)
        }
        return MigrationSet(migrations: migrations)
    }
}
