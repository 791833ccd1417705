import Mustache

/// A generated typealias for a schema that is a plain type (string, number, array, map…). Rendered by `typealias.mustache`.
struct TypeAliasDeclaration: Sendable {
    var docLines: [String]
    var access: String
    var name: String
    var type: SwiftType
    var nested: [SwiftDeclaration]
}

extension TypeAliasDeclaration: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "docLines": docLines
        case "access": access
        case "name": self.name
        case "type": type
        case "nested": nested
        default: nil
        }
    }
}
