import Foundation

/// One migration's SQL as written in `db/migrations` (`NNNN_name.up.sql` and its `.down.sql`), so
/// the generated database layer can carry the migrations inside the binary that applies them.
struct MigrationFile: Sendable {
    let version: Int
    let name: String
    let up: String
    let down: String

    /// The up/down pairs of `directory` in version order; files that are not such a pair are the
    /// catalog loader's to report, and are left out here.
    static func load(directory: String) -> [MigrationFile] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
        var files: [MigrationFile] = []
        for upName in names where upName.hasSuffix(".up.sql") {
            let stem = String(upName.dropLast(".up.sql".count))
            guard let match = stem.wholeMatch(of: /(\d{4})_([a-z0-9_]+)/), let version = Int(match.1),
                  let up = try? String(contentsOfFile: directory + "/" + upName, encoding: .utf8),
                  let down = try? String(contentsOfFile: directory + "/" + stem + ".down.sql", encoding: .utf8)
            else { continue }
            files.append(MigrationFile(version: version, name: String(match.2), up: up, down: down))
        }
        return files.sorted { $0.version < $1.version }
    }
}
