/// Checks of what the generated code depends on, made on the model and the database catalog
/// before anything is rendered: the error codes operations declare exist in the catalog, the
/// catalog has the entries the runtime answers with itself, and every column and named-query
/// parameter has a type contractgen maps.
enum GenerationRules {
    static let descriptions = [
        "error-codes-known": "`x-error-codes` name codes of the error catalog",
        "catalog-runtime-codes": "the error catalog has the entries the runtime answers with itself",
        "sql-types": "every column and named-query parameter has a type contractgen maps",
    ]

    /// The API model's checks.
    static func check(_ model: ContractModel) -> [Diagnostic] {
        var diagnostics = DiagnosticCollector()
        for operation in model.operations {
            for code in operation.declaredErrorCodes where model.errorCatalog.entry(code: code) == nil {
                diagnostics.error("\(operation.operationID) declares error code \(code), which is not in the error catalog", at: operation.location, rule: "error-codes-known")
            }
        }
        for slot in ErrorCatalogLoader.runtimeSlots where model.errorCatalog.entry(named: slot.name) == nil {
            diagnostics.error(
                "the error catalog has no \(slot.name) entry; the runtime answers with it (\(slot.slot))",
                at: model.errorCatalog.sourceFile.map { SourceLocation(file: $0, line: 1, column: 1) }, rule: "catalog-runtime-codes")
        }
        return diagnostics.diagnostics
    }

    /// The database layer's checks: table columns, and the result columns and parameters of
    /// named queries.
    static func check(_ catalog: DatabaseCatalog, queries: [NamedQuery]) -> [Diagnostic] {
        var diagnostics = DiagnosticCollector()
        let mapper = DatabaseTypeMapper(catalog: catalog)
        func unmapped(_ columns: [(name: String, type: SQLType)], owner: String, at location: SourceLocation) {
            for column in columns where mapper.swiftType(column.type) == nil {
                diagnostics.error("\(owner): column \(column.name) has type \(column.type), which contractgen cannot map to Swift", at: location, rule: "sql-types")
            }
        }
        for table in catalog.tables {
            unmapped(table.columns.map { ($0.name, $0.type) }, owner: "table \(table.name)", at: table.location)
        }
        for query in queries {
            unmapped(query.columns.map { ($0.name, $0.type) }, owner: "query \(query.name)", at: query.location)
            for parameter in query.parameters where mapper.swiftType(parameter.type) == nil {
                diagnostics.error(
                    "query \(query.name): $\(parameter.index) has type \(parameter.type), which contractgen cannot map to Swift", at: query.location, rule: "sql-types")
            }
        }
        return diagnostics.diagnostics
    }
}
