import Mustache

/// A Swift enum for a PostgreSQL enum type, or for the values a `CHECK (column IN (…))` limits a
/// text column to. Rendered by `db-enum.mustache`.
struct DatabaseEnumDeclaration: Sendable {
    var access: String
    var name: String
    /// The enum type's name, or the checked column (`assets.status`).
    var sqlName: String
    /// Whether this is a checked text column's enum rather than a PostgreSQL enum type.
    var checkedColumn = false
    /// Where the type is created (`contracts/db/migrations/…:line`).
    var location: String
    var cases: [StringEnumDeclaration.Case]
    /// Its moves, when a column of this type is bound to a state-machine enum of the API.
    var stateMachine: StateMachineDeclaration?
}

extension DatabaseEnumDeclaration: MustacheParent {
    func child(named key: String) -> Any? {
        switch key {
        case "access": access
        case "name": name
        case "sqlName": sqlName
        case "checkedColumn": checkedColumn
        case "location": location
        case "cases": cases
        case "stateMachine": stateMachine
        default: nil
        }
    }
}
