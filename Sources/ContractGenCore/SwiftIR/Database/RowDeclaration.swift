import Mustache

/// A row type: one member per result column, decoded in column order. Rendered by `db-row.mustache`.
struct RowDeclaration: Sendable {
    /// A result column and its member.
    struct Column: Sendable, MustacheParent {
        var sqlName: String
        var member: String
        /// The member's Swift type (optional when the column is nullable).
        var type: SwiftType
        var nullable: Bool
        var sqlType: String
        func child(named key: String) -> Any? {
            switch key {
            case "sqlName": sqlName
            case "member": member
            case "type": type
            case "nullable": nullable
            case "sqlType": sqlType
            default: nil
            }
        }
    }

    var access: String
    var name: String
    var docLines: [String]
    var columns: [Column]
}

extension RowDeclaration: MustacheParent {
    func child(named key: String) -> Any? {
        switch key {
        case "access": access
        case "name": name
        case "docLines": docLines
        case "columns": columns
        default: nil
        }
    }
}
