import Mustache

/// The typed caller of operations secured by one scheme with `x-principal`: its subject and claims
/// as the contract types them, made from the runtime's `Principal` (which the server has already
/// checked against the same shape). Rendered by `principal.mustache`.
struct PrincipalDeclaration: Sendable {
    /// The subject or a claim: its member, the claim's key as a string literal (nil for the subject),
    /// whether it is a UUID, and its doc comment.
    struct Field: Sendable, MustacheParent {
        var member: String
        var key: String?
        var isUUID: Bool
        var docLines: [String]

        func child(named name: String) -> Any? {
            switch name {
            case "member": member
            case "key": key.map { $0 as Any } ?? false
            case "isUUID": isUUID
            case "docLines": docLines
            default: nil
            }
        }
    }

    var access: String
    var name: String
    /// The scheme's name in the contract.
    var scheme: String
    var subject: Field
    var claims: [Field]
}

extension PrincipalDeclaration: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "access": access
        case "name": self.name
        case "scheme": scheme
        case "subject": subject
        case "claims": claims
        default: nil
        }
    }
}
