import ContractRuntime
import ContractServer
import Foundation
import WatermarkAPI

/// The service's `bearerAuth`: an access token becomes the principal handlers see (user id,
/// roles, session id); an expired one is 40102; a bad one, or one whose session was signed out or
/// revoked, is 40101.
public struct BearerAuthenticator: ContractAuthenticator {
    let tokens: AccessTokens
    let liveness: SessionLiveness?

    init(tokens: AccessTokens, liveness: SessionLiveness?) {
        self.tokens = tokens
        self.liveness = liveness
    }

    public func authenticate(_ credential: Credential, for operation: OperationDescriptor) async throws -> Principal {
        switch await tokens.verify(credential.value) {
        case .valid(let claims):
            if let liveness, let user = UUID(uuidString: claims.sub.value), let session = UUID(uuidString: claims.sid),
               try await !liveness.isLive(session: session, user: user) {
                throw APIError(ErrorCode.unauthenticated.descriptor, message: "the session has ended; sign in again")
            }
            return Principal(subject: claims.sub.value, roles: Set(claims.roles), claims: ["sid": claims.sid])
        case .expired:
            throw APIError(ErrorCode.tokenExpired.descriptor)
        case .invalid:
            throw APIError(ErrorCode.unauthenticated.descriptor)
        }
    }
}
