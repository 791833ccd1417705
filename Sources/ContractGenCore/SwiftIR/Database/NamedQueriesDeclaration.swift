import Mustache

/// The `NamedQueries` struct: every named query's function, and descriptors of their parameter and
/// column types for the test that prepares each one. Rendered by `db-queries.mustache`.
struct NamedQueriesDeclaration: Sendable {
    /// What a named query was generated from: its name and the PostgreSQL types, as string literals.
    struct Descriptor: Sendable, MustacheParent {
        /// A result column's name and PostgreSQL type.
        struct Column: Sendable, MustacheParent {
            var name: String
            var sqlType: String
            func child(named key: String) -> Any? {
                switch key {
                case "name": name
                case "sqlType": sqlType
                default: nil
                }
            }
        }
        var name: String
        var sqlName: String
        var parameterTypes: [String]
        var columns: [Column]
        func child(named key: String) -> Any? {
            switch key {
            case "name": name
            case "sqlName": sqlName
            case "parameterTypes": parameterTypes
            case "columns": columns
            default: nil
            }
        }
    }

    var access: String
    var queries: [NamedQueryFunction]
    var descriptors: [Descriptor]
}

extension NamedQueriesDeclaration: MustacheParent {
    func child(named key: String) -> Any? {
        switch key {
        case "access": access
        case "queries": queries
        case "descriptors": descriptors
        default: nil
        }
    }
}
