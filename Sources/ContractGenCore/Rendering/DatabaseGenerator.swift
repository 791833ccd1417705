/// Turns the database catalog and named queries into Swift files with fixed names: PostgreSQL
/// enums, a row type, insert type and repository per table, the named queries, and the
/// migrations themselves.
public struct DatabaseGenerator {
    /// The templates the database layer renders itself (the renderer parses these and the partials they use).
    static let rootTemplates = ["db-enum", "db-migrations", "db-queries", "db-repository", "db-row", "file"]

    /// The file names database generation writes.
    public static let outputFileNames = ["DatabaseEnums.swift", "Tables.swift", "NamedQueries.swift", "Migrations.swift"]

    let catalog: DatabaseCatalog
    let queries: [NamedQuery]
    let options: SwiftGenerator.Options
    let renderer: TemplateRenderer
    let sources: (migrations: String, queries: String?)
    let migrationFiles: [MigrationFile]
    /// The API's state machines of columns of PostgreSQL enum types, by the enum's name.
    let stateMachines: [String: NamedSchema]
    /// The API enum schema each checked text column is bound to, by `table.column`.
    let boundEnums: [String: String]

    init(catalog: DatabaseCatalog, queries: [NamedQuery], migrationFiles: [MigrationFile], options: SwiftGenerator.Options,
         renderer: TemplateRenderer, sources: (migrations: String, queries: String?), stateMachines: [String: NamedSchema] = [:],
         boundEnums: [String: String] = [:]) {
        self.stateMachines = stateMachines
        self.boundEnums = boundEnums
        self.catalog = catalog
        self.queries = queries
        self.migrationFiles = migrationFiles
        self.options = options
        self.renderer = renderer
        self.sources = sources
    }

    /// File name → contents (the analysis has checked what the rendering depends on).
    public func generate() -> [String: String] {
        let display = { (location: SourceLocation) in "\(self.display(location.file)):\(location.line)" }
        let builder = DatabaseBuilder(catalog: catalog, queries: queries, access: options.accessModifier, display: display, stateMachines: stateMachines, boundEnums: boundEnums)
        let imports = ["ContractRuntime", "Foundation", "NIOCore", "PostgresNIO", "PostgresSupport"]
        var files: [String: String] = [:]
        files["DatabaseEnums.swift"] = file(sources: [sources.migrations], imports: imports, declarations: builder.enums().map { renderer.render("db-enum", $0) })
        files["Tables.swift"] = file(sources: [sources.migrations], imports: imports, declarations: builder.tables().map { table in
            switch table {
            case .row(let row): renderer.render("db-row", row)
            case .repository(let repository): renderer.render("db-repository", repository)
            }
        })
        let (container, rows) = builder.namedQueries()
        files["NamedQueries.swift"] = file(sources: [sources.queries ?? sources.migrations], imports: imports, declarations: rows.map { renderer.render("db-row", $0) } + [renderer.render("db-queries", container)])
        files["Migrations.swift"] = file(sources: [sources.migrations], imports: ["PostgresSupport"], declarations: [migrations()])
        return files
    }

    /// The migrations as multi-line raw string literals holding each file's text exactly (the line
    /// break before the closing delimiter is not part of a literal, so a file's own last line break
    /// is kept): `raw` is one more `#` than the longest run of `#` in any of them, so no SQL text
    /// can end a literal or start an escape.
    private func migrations() -> String {
        let longestRun = migrationFiles.flatMap { file -> [String] in [file.up, file.down] }.map { text in
            text.split(whereSeparator: { $0 != "#" }).map(\.count).max() ?? 0
        }.max() ?? 0
        let raw = String(repeating: "#", count: longestRun + 1)
        return renderer.render("db-migrations", [
            "access": options.accessModifier,
            "migrations": migrationFiles.map { file in
                ["version": file.version, "name": file.name, "raw": raw, "up": file.up, "down": file.down] as [String: Any]
            },
        ])
    }

    private func file(sources: [String], imports: [String], declarations: [String]) -> String {
        renderer.render("file", SourceFile(sources: sources.map(display).joined(separator: ", "), imports: imports, declarations: declarations)) + "\n"
    }

    private func display(_ file: String) -> String {
        let base = options.displayBase
        if !base.isEmpty, file.hasPrefix(base + "/") { return String(file.dropFirst(base.count + 1)) }
        return file
    }
}
