import Mustache

/// Finding (and deleting) a table's row by a key: the key's members as parameters, their bindings
/// and the `WHERE` comparisons, and the prepared statement's type.
struct KeyLookup: Sendable {
    /// A parameter of `find`/`delete`: a key column's member and its (non-optional) type.
    struct Parameter: Sendable, MustacheParent {
        var member: String
        var type: SwiftType
        func child(named key: String) -> Any? {
            switch key {
            case "member": member
            case "type": type
            default: nil
            }
        }
    }

    /// What makes the key one (`primary key is (id)`), for the doc comment.
    var description: String
    var statementType: String
    var parameters: [Parameter]
    var bindings: [BindingAppend]
    var conditions: [SQLComparison]
}

extension KeyLookup: MustacheParent {
    func child(named key: String) -> Any? {
        switch key {
        case "description": description
        case "statementType": statementType
        case "parameters": parameters
        case "count": parameters.count
        case "bindings": bindings
        case "conditions": conditions
        default: nil
        }
    }
}
