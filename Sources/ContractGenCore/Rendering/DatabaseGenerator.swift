/// Turns the database catalog and named queries into Swift files with fixed names: PostgreSQL
/// enums, a row type, insert type and repository per table, and the named queries.
public struct DatabaseGenerator {
    /// The file names database generation writes.
    public static let outputFileNames = ["DatabaseEnums.swift", "Tables.swift", "NamedQueries.swift"]

    let catalog: DatabaseCatalog
    let queries: [NamedQuery]
    let options: SwiftGenerator.Options
    let renderer: TemplateRenderer
    let sources: (migrations: String, queries: String?)

    public init(catalog: DatabaseCatalog, queries: [NamedQuery], options: SwiftGenerator.Options, renderer: TemplateRenderer,
                sources: (migrations: String, queries: String?)) {
        self.catalog = catalog
        self.queries = queries
        self.options = options
        self.renderer = renderer
        self.sources = sources
    }

    public func generate() -> ([String: String], [Diagnostic]) {
        let display = { (location: SourceLocation) in "\(self.display(location.file)):\(location.line)" }
        var builder = DatabaseBuilder(
            catalog: catalog, queries: queries, access: options.accessModifier, render: { renderer.render($0, $1) }, display: display)
        let imports = ["ContractRuntime", "Foundation", "NIOCore", "PostgresNIO", "PostgresSupport"]
        var files: [String: String] = [:]
        files["DatabaseEnums.swift"] = file(sources: [sources.migrations], imports: imports, declarations: builder.enums())
        files["Tables.swift"] = file(sources: [sources.migrations], imports: imports, declarations: builder.tables())
        let (container, rows) = builder.namedQueries()
        files["NamedQueries.swift"] = file(sources: [sources.queries ?? sources.migrations], imports: imports, declarations: rows + [container])
        return (files, builder.diagnostics.diagnostics)
    }

    private func file(sources: [String], imports: [String], declarations: [String]) -> String {
        renderer.render("file", ["sources": sources.map(display).joined(separator: ", "), "imports": imports, "declarations": declarations]) + "\n"
    }

    private func display(_ file: String) -> String {
        let base = options.displayBase
        if !base.isEmpty, file.hasPrefix(base + "/") { return String(file.dropFirst(base.count + 1)) }
        return file
    }
}
