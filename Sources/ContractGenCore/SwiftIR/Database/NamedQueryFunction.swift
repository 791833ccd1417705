import Mustache

/// A named query as a typed function of `NamedQueries`, with its SQL and, for queries that return
/// rows, its prepared statement. Rendered by `db-query.mustache`.
struct NamedQueryFunction: Sendable {
    /// `:one`, `:many`, `:exec` or `:execrows`.
    enum Kind: String, Sendable, CaseIterable {
        case one, many, exec, execrows
    }
    /// A parameter: its name and Swift type.
    struct Parameter: Sendable, MustacheParent {
        var name: String
        var type: SwiftType
        func child(named key: String) -> Any? {
            switch key {
            case "name": name
            case "type": type
            default: nil
            }
        }
    }

    var docLines: [String]
    var function: String
    /// The query's name as written in the contract.
    var name: String
    var kind: Kind
    var parameters: [Parameter]
    var bindings: [BindingAppend]
    /// The row type (empty for `:exec`/`:execrows`).
    var rowType: String
    var sqlName: String
    var statementType: String
    /// The SQL as a raw string literal.
    var sqlLiteral: String
}

extension NamedQueryFunction: MustacheParent {
    func child(named key: String) -> Any? {
        if let kind = Kind(rawValue: key) { return self.kind == kind }
        switch key {
        case "docLines": return docLines
        case "function": return function
        case "name": return name
        case "parameters": return parameters
        case "bindings": return bindings
        case "count": return bindings.count
        case "hasBindings": return !bindings.isEmpty
        case "rowType": return rowType
        case "sqlName": return sqlName
        case "statementType": return statementType
        case "prepared": return kind == .one || kind == .many
        case "sqlLiteral": return sqlLiteral
        default: return nil
        }
    }
}
