import Mustache

/// Facts about the contract (`Contract`: title, version, paths, the bundled document and docs page),
/// its security schemes (`Security`) and the router support. Rendered by `contract.mustache`.
struct ContractDeclaration: Sendable {
    /// A path and the methods declared on it, as string literals.
    struct Path: Sendable, MustacheParent {
        var path: String
        var methods: [String]
        func child(named name: String) -> Any? {
            switch name {
            case "path": path
            case "methods": methods
            default: nil
            }
        }
    }

    /// A security scheme, as the runtime extracts its credentials.
    struct Scheme: Sendable, MustacheParent {
        enum Kind: String, Sendable, CaseIterable {
            case bearer, basic, apiKey, oauth2
        }
        var name: String
        /// The scheme's name in the contract, as a string literal.
        var schemeName: String
        var docLines: [String]
        var kind: Kind
        /// `bearer`: the token format as a string literal, or `nil`.
        var bearerFormat = "nil"
        /// `apiKey`: where the key travels (`header`, `query`, `cookie`) and its name as a string literal.
        var keyLocation = ""
        var keyName = ""
        /// `x-principal`: the subject's format and each claim's (a string literal and `uuid` or `text`).
        var principal: PrincipalShape?

        struct PrincipalShape: Sendable, MustacheParent {
            var subjectFormat: String
            var claims: [(key: String, format: String)]

            func child(named name: String) -> Any? {
                switch name {
                case "subjectFormat": subjectFormat
                case "claims": claims.map { ["key": $0.key, "format": $0.format] }
                case "hasClaims": !claims.isEmpty
                default: nil
                }
            }
        }

        func child(named key: String) -> Any? {
            if let kind = Kind(rawValue: key) { return self.kind == kind }
            switch key {
            case "name": return name
            case "schemeName": return schemeName
            case "docLines": return docLines
            case "bearerFormat": return bearerFormat
            case "keyLocation": return keyLocation
            case "keyName": return keyName
            case "principal": return principal.map { $0 as Any } ?? false
            default: return nil
            }
        }
    }

    var access: String
    var title: String
    var version: String
    var titleLiteral: String
    var versionLiteral: String
    var paths: [Path]
    /// Raw string literals of the bundled document and the docs page.
    var openAPIJSON: String
    var docsHTML: String
    var schemes: [Scheme]
}

extension ContractDeclaration: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "access": access
        case "title": title
        case "version": version
        case "titleLiteral": titleLiteral
        case "versionLiteral": versionLiteral
        case "paths": paths
        case "openAPIJSON": openAPIJSON
        case "docsHTML": docsHTML
        case "schemes": schemes
        default: nil
        }
    }
}
