import Mustache

/// A table's insert type (`New<Row>`) and repository: insert, find by each key, and what its primary
/// key allows. Rendered by `db-repository.mustache`.
struct RepositoryDeclaration: Sendable {
    /// A column an insert may set (generated columns are left out).
    struct InsertColumn: Sendable, MustacheParent {
        var sqlName: String
        var sqlType: String
        var member: String
        /// Optional when the column is nullable or has a default (nil takes the default).
        var type: SwiftType
        var defaulted: Bool
        var defaultExpression: String
        /// The quoted identifier as a string literal.
        var quotedLiteral: String
        /// `try` when encoding the column's type can throw.
        var throwing: Bool
        func child(named key: String) -> Any? {
            switch key {
            case "sqlName": sqlName
            case "sqlType": sqlType
            case "member": member
            case "type": type
            case "optional": type.isOptional
            case "defaulted": defaulted
            case "defaultExpression": defaultExpression
            case "quotedLiteral": quotedLiteral
            case "appendValue": BindingAppend(name: "value", ofRow: false, throwing: throwing)
            case "appendRow": BindingAppend(name: member, ofRow: true, throwing: throwing)
            default: nil
            }
        }
    }

    var access: String
    var table: String
    /// The table's name as a string literal, and its quoted identifier escaped for one.
    var tableLiteral: String
    var quotedTable: String
    var location: String
    var rowType: String
    var newType: String
    var repositoryType: String
    /// Every column's quoted identifier, escaped for a string literal, in table order.
    var columns: [String]
    var insertColumns: [InsertColumn]
    /// Finds by the primary key, then by each unique key.
    var keys: [KeyLookup]
    var primaryKey: PrimaryKeyOperations?
}

extension RepositoryDeclaration: MustacheParent {
    func child(named key: String) -> Any? {
        switch key {
        case "access": access
        case "table": table
        case "tableLiteral": tableLiteral
        case "quotedTable": quotedTable
        case "location": location
        case "rowType": rowType
        case "newType": newType
        case "repositoryType": repositoryType
        case "columns": columns
        case "insertColumns": insertColumns
        case "insertCount": insertColumns.count
        case "keys": keys
        case "primaryKey": primaryKey.map { $0 as Any } ?? false
        case "hasUpdate": primaryKey?.hasUpdate ?? false
        case "versioned": primaryKey?.versioned ?? false
        case "keyed": primaryKey.map { $0.hasUpdate && $0.keyset != nil } ?? false
        default: nil
        }
    }
}
