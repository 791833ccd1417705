import ContractRuntime
import ContractServer
import Foundation

extension Principal {
    /// The signed-in user (`sub` of the access token).
    var userID: UUID? { UUID(uuidString: subject) }

    /// The session the access token belongs to (`sid`).
    var sessionID: UUID? { claims["sid"].flatMap(UUID.init(uuidString:)) }
}
