import ContractRuntime
import Foundation
import WatermarkAPI

/// The service's `bearerAuth`: an access token becomes the principal handlers see (user id,
/// roles, session id), an expired one is 40102 and anything else 40101.
public struct BearerAuthenticator: ContractAuthenticator {
    let tokens: AccessTokens

    public init(tokens: AccessTokens) {
        self.tokens = tokens
    }

    public func authenticate(_ credential: Credential, for operation: OperationDescriptor) async throws -> Principal {
        switch await tokens.verify(credential.value) {
        case .valid(let claims):
            return Principal(subject: claims.sub.value, roles: Set(claims.roles), claims: ["sid": claims.sid])
        case .expired:
            throw APIError(ErrorCode.tokenExpired.descriptor)
        case .invalid:
            throw APIError(ErrorCode.unauthenticated.descriptor)
        }
    }
}
