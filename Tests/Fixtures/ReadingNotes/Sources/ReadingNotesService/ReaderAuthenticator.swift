import ContractRuntime
import ContractServer
import Foundation
import ReadingNotesAPI

/// The contract's `bearerAuth`: a reader token becomes the principal handlers see (its subject is the
/// reader's id, which the contract's `x-principal` types as a UUID); an expired token is 40102, anything
/// else wrong with it 40101.
struct ReaderAuthenticator: ContractAuthenticator {
    let tokens: ReaderTokens

    func authenticate(_ credential: Credential, for operation: OperationDescriptor) async throws -> Principal {
        switch await tokens.verify(credential.value) {
        case .valid(let reader): Principal(subject: reader.uuidString.lowercased())
        case .expired: throw APIError(ErrorCode.tokenExpired.descriptor)
        case .invalid: throw APIError(ErrorCode.unauthenticated.descriptor)
        }
    }
}
