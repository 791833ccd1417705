import ContractRuntime
import ContractServer
import Foundation
import ReadingNotesAPI

/// The contract's `bearerAuth`: a reader token becomes the principal handlers see (its subject is the
/// reader's id); an expired token is 40102, anything else wrong with it 40101.
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

extension Principal {
    /// The reader this principal is: `ReaderAuthenticator` only lets through subjects that are reader ids.
    var reader: UUID {
        get throws {
            guard let reader = UUID(uuidString: subject) else { throw APIError(ErrorCode.unauthenticated.descriptor) }
            return reader
        }
    }
}
