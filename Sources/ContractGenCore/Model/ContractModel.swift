/// The whole contract as the generator sees it, independent of Swift.
public struct ContractModel: Sendable {
    public var title: String
    public var version: String
    public var description: String?
    public var rootFile: String
    /// Named schemas, sorted by name.
    public var schemas: [NamedSchema]
    /// Operations, sorted by operationId.
    public var operations: [OperationModel]
    /// Tags in contract order, with their descriptions.
    public var tags: [(name: String, description: String?)]
    public var securitySchemes: [SecuritySchemeModel]
    public var errorCatalog: ErrorCatalog
    /// The resolved contract as JSON (served at `/openapi.json`), rendered when first read (lint
    /// never reads it).
    public var bundledJSON: String { renderedJSON.get() }
    private let renderedJSON: ComputedOnce<String>

    public init(
        title: String, version: String, description: String?, rootFile: String, schemas: [NamedSchema],
        operations: [OperationModel], tags: [(name: String, description: String?)], securitySchemes: [SecuritySchemeModel],
        errorCatalog: ErrorCatalog, bundledJSON: @escaping () -> String
    ) {
        self.title = title
        self.version = version
        self.description = description
        self.rootFile = rootFile
        self.schemas = schemas
        self.operations = operations
        self.tags = tags
        self.securitySchemes = securitySchemes
        self.errorCatalog = errorCatalog
        self.renderedJSON = ComputedOnce(bundledJSON)
    }
}

/// A security scheme of the contract.
public struct SecuritySchemeModel: Sendable, Hashable {
    /// The kinds of scheme the runtime extracts credentials for.
    public enum Kind: Sendable, Hashable {
        case bearer(format: String?)
        case basic
        case apiKey(location: String, name: String)
        case oauth2
    }

    public var name: String
    public var kind: Kind
    public var description: String?
    /// `x-principal`: what the scheme's authenticated caller carries, so handlers get it typed.
    public var principal: PrincipalModel?

    public init(name: String, kind: Kind, description: String?, principal: PrincipalModel? = nil) {
        self.name = name
        self.kind = kind
        self.description = description
        self.principal = principal
    }
}

/// The caller a security scheme authenticates, as the contract types it (`x-principal`): its
/// subject and the claims it always carries, each a string that may be a UUID.
public struct PrincipalModel: Sendable, Hashable {
    /// A string of the principal: its name (`sub` for the subject), whether it is a UUID, what it is.
    public struct Field: Sendable, Hashable {
        public var name: String
        public var isUUID: Bool
        public var description: String?

        public init(name: String, isUUID: Bool, description: String?) {
            self.name = name
            self.isUUID = isUUID
            self.description = description
        }
    }

    public var subject: Field
    public var claims: [Field]

    public init(subject: Field, claims: [Field]) {
        self.subject = subject
        self.claims = claims
    }
}
