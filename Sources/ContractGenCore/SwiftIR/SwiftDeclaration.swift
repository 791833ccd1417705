import Mustache

/// A generated type declaration of a schema, of one of five kinds. Rendered by `declaration.mustache`,
/// which picks the kind's template; nested declarations are rendered inside their parent the same way.
indirect enum SwiftDeclaration: Sendable {
    case structure(StructDeclaration)
    case stringEnum(StringEnumDeclaration)
    case union(UnionDeclaration)
    case alias(TypeAliasDeclaration)
    /// A `multipart/form-data` body, rendered by `struct.mustache` as a `ContractForm`.
    case form(StructDeclaration)
}

extension SwiftDeclaration: MustacheParent {
    func child(named name: String) -> Any? {
        switch (name, self) {
        case ("structure", .structure(let declaration)): declaration
        case ("stringEnum", .stringEnum(let declaration)): declaration
        case ("union", .union(let declaration)): declaration
        case ("alias", .alias(let declaration)): declaration
        case ("structure", .form(let declaration)): declaration
        case ("structure", _), ("stringEnum", _), ("union", _), ("alias", _): false
        default: nil
        }
    }
}
