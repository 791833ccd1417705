import ContractRuntime

/// What the runtime needs to know about one contract operation to serve it.
public struct OperationDescriptor: Sendable, Hashable {
    public var operationID: String
    public var method: String
    /// The contract path template, `/v1/tasks/{taskId}`.
    public var path: String
    /// Alternatives (any one suffices) of schemes that must all be satisfied; empty means public.
    public var security: [[SecuritySchemeDescriptor]]
    /// Roles of which the principal needs at least one (`x-roles`); empty means any.
    public var roles: [String]
    /// Media types the request body may have; empty when the operation takes no body.
    public var requestContentTypes: [String]
    public var requestBodyRequired: Bool
    /// The body is not JSON (an upload): the handler receives its bytes.
    public var requestBodyIsRaw: Bool

    public init(
        operationID: String, method: String, path: String, security: [[SecuritySchemeDescriptor]], roles: [String],
        requestContentTypes: [String], requestBodyRequired: Bool, requestBodyIsRaw: Bool = false
    ) {
        self.requestBodyIsRaw = requestBodyIsRaw
        self.operationID = operationID
        self.method = method
        self.path = path
        self.security = security
        self.roles = roles
        self.requestContentTypes = requestContentTypes
        self.requestBodyRequired = requestBodyRequired
    }

    public var isPublic: Bool { security.isEmpty || security.contains { $0.isEmpty } }
}

/// A security scheme of the contract, as far as the runtime extracts credentials for it.
public struct SecuritySchemeDescriptor: Sendable, Hashable {
    /// Where a credential travels.
    public enum Kind: Sendable, Hashable {
        case bearer(format: String?)
        case basic
        case apiKey(location: APIKeyLocation, name: String)
        /// OAuth 2 and OpenID Connect present bearer tokens.
        case oauth2
    }

    /// The place of an API key.
    public enum APIKeyLocation: String, Sendable, Hashable {
        case header, query, cookie
    }

    public var name: String
    public var kind: Kind
    public var scopes: [String]
    /// What the scheme's principal must look like (`x-principal`); nil: anything the authenticator makes.
    public var principal: PrincipalShape?

    public init(name: String, kind: Kind, scopes: [String] = [], principal: PrincipalShape? = nil) {
        self.name = name
        self.kind = kind
        self.scopes = scopes
        self.principal = principal
    }
}

extension SecuritySchemeDescriptor {
    /// The same scheme, required with `scopes`.
    public func scoped(_ scopes: [String]) -> SecuritySchemeDescriptor {
        SecuritySchemeDescriptor(name: name, kind: kind, scopes: scopes, principal: principal)
    }
}
