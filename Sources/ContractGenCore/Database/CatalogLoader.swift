import Foundation

/// Builds the `DatabaseCatalog` by replaying a migrations directory's `NNNN_name.up.sql` files in
/// version order (the order the migrations runner applies them).
public enum CatalogLoader {
    public static func load(migrationsDirectory directory: String) -> (DatabaseCatalog, [Diagnostic]) {
        var diagnostics = DiagnosticCollector()
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
            diagnostics.error("cannot read the migrations directory \(directory)", at: nil, rule: "sql-ddl")
            return (DatabaseCatalog(), diagnostics.diagnostics)
        }
        var ups: [(version: Int, name: String)] = []
        for name in names where name.hasSuffix(".sql") {
            let location = SourceLocation(file: directory + "/" + name, line: 1, column: 1)
            guard let version = Int(name.prefix { $0.isNumber }), name.first?.isNumber == true,
                  name.hasSuffix(".up.sql") || name.hasSuffix(".down.sql") else {
                diagnostics.error("migration files are named NNNN_name.up.sql and NNNN_name.down.sql", at: location, rule: "sql-ddl")
                continue
            }
            if name.hasSuffix(".up.sql") { ups.append((version, name)) }
        }
        ups.sort { ($0.version, $0.name) < ($1.version, $1.name) }
        var parser = DDLParser()
        for (index, up) in ups.enumerated() {
            let path = directory + "/" + up.name
            if index > 0, ups[index - 1].version == up.version {
                diagnostics.error("two migrations have version \(up.version)", at: SourceLocation(file: path, line: 1, column: 1), rule: "sql-ddl")
            }
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                diagnostics.error("cannot read \(path)", at: nil, rule: "sql-ddl")
                continue
            }
            parser.apply(script: text, file: path)
        }
        var catalog = parser.catalog
        catalog.markCheckedColumns()
        return (catalog, diagnostics.diagnostics + parser.diagnostics.diagnostics)
    }
}
