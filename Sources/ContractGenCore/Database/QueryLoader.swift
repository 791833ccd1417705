import Foundation

/// Reads every `*.sql` file of a queries directory (in name order) and analyzes its named
/// queries against the catalog.
public enum QueryLoader {
    public static func load(queriesDirectory directory: String, catalog: DatabaseCatalog) -> ([NamedQuery], [Diagnostic]) {
        var diagnostics = DiagnosticCollector()
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
            diagnostics.error("cannot read the queries directory \(directory)", at: nil, rule: "sql-query")
            return ([], diagnostics.diagnostics)
        }
        var analyzer = QueryAnalyzer(catalog: catalog)
        var queries: [NamedQuery] = []
        var seen: [String: SourceLocation] = [:]
        for name in names.sorted() where name.hasSuffix(".sql") {
            let path = directory + "/" + name
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                diagnostics.error("cannot read \(path)", at: nil, rule: "sql-query")
                continue
            }
            let scalars = Array(text.unicodeScalars)
            for entry in QueryFileParser.parse(text, file: path, diagnostics: &diagnostics) {
                if let earlier = seen[entry.name] {
                    diagnostics.error("query \(entry.name) is also declared at \(earlier)", at: entry.location, rule: "sql-query")
                    continue
                }
                seen[entry.name] = entry.location
                if let query = analyzer.analyze(entry, script: scalars) { queries.append(query) }
            }
        }
        return (queries, diagnostics.diagnostics + analyzer.diagnostics.diagnostics)
    }
}
