import ContractRuntime

/// Who is calling: what an authenticator made of the request's credentials.
public struct Principal: Sendable, Hashable {
    /// Stable identifier of the caller (a user id).
    public var subject: String
    public var roles: Set<String>
    public var scopes: Set<String>
    /// Further claims the handlers may need.
    public var claims: [String: String]

    public init(subject: String, roles: Set<String> = [], scopes: Set<String> = [], claims: [String: String] = [:]) {
        self.subject = subject
        self.roles = roles
        self.scopes = scopes
        self.claims = claims
    }
}

/// A credential found in a request for one security scheme.
public struct Credential: Sendable, Hashable {
    public var scheme: SecuritySchemeDescriptor
    /// The token, key or `user:password` text.
    public var value: String

    public init(scheme: SecuritySchemeDescriptor, value: String) {
        self.scheme = scheme
        self.value = value
    }
}

/// Turns credentials into a principal; the service supplies one (JWT verification, API keys).
///
/// Throw an `APIError` with the catalog's `tokenExpired` or `unauthenticated` entry to refuse.
public protocol ContractAuthenticator: Sendable {
    func authenticate(_ credential: Credential, for operation: OperationDescriptor) async throws -> Principal
}
