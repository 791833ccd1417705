import Mustache

/// The `ContractCases` enum: the negative cases of every operation that has some, one array per
/// operation. Rendered by `contract-cases.mustache`.
struct ContractCasesDeclaration: Sendable {
    /// The cases of one operation.
    struct Group: Sendable, MustacheParent {
        /// The operationId as written (for the doc comment) and the array's member name.
        var operationID: String
        var member: String
        var cases: [ContractCase]
        func child(named name: String) -> Any? {
            switch name {
            case "operationID": operationID
            case "member": member
            case "cases": cases
            case "count": cases.count
            default: nil
            }
        }
    }

    var access: String
    var groups: [Group]
}

extension ContractCasesDeclaration: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "access": access
        case "groups": groups
        default: nil
        }
    }
}
