import Mustache

/// A generated enum for a string enumeration. Rendered by `string-enum.mustache`.
struct StringEnumDeclaration: Sendable {
    /// One case: its Swift name and its value as a string literal.
    struct Case: Sendable, MustacheParent {
        var name: String
        var raw: String
        func child(named name: String) -> Any? {
            switch name {
            case "name": self.name
            case "raw": raw
            default: nil
            }
        }
    }

    var docLines: [String]
    var access: String
    var name: String
    var cases: [Case]
    /// Its moves, when the schema declares `x-state-machine`.
    var stateMachine: StateMachineDeclaration?
}

extension StringEnumDeclaration: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "docLines": docLines
        case "access": access
        case "name": self.name
        case "cases": cases
        case "stateMachine": stateMachine
        default: nil
        }
    }
}
