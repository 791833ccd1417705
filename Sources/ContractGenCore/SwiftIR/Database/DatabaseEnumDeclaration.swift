import Mustache

/// A Swift enum for a PostgreSQL enum type. Rendered by `db-enum.mustache`.
struct DatabaseEnumDeclaration: Sendable {
    var access: String
    var name: String
    var sqlName: String
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
        case "location": location
        case "cases": cases
        case "stateMachine": stateMachine
        default: nil
        }
    }
}
