import ContractRuntime
import Crypto
import Foundation
import NIOCore
import PostgresNIO
import PostgresSupport
import WatermarkDatabase

/// Runs a state-changing request at most once per `Idempotency-Key`: the first request claims the
/// key, does its work and stores its response in the same transaction; a retry with the same key
/// and the same request gets that response again; the same key with another request (or another
/// operation) is a conflict.
///
/// Concurrent duplicates queue on the key's unique index: the second waits for the first to commit
/// and then replays its response, or runs itself if the first rolled back (a failed request leaves
/// no trace, so it can be retried). Keys are scoped to the user, or to nobody for public operations,
/// and kept 24 hours.
///
/// Stored responses may hold credentials (a refresh token), so they are sealed with AES-GCM under
/// the service's secret, and requests are compared by an HMAC of them (a plain hash of a login
/// request would let anyone with the table guess the password offline).
struct IdempotentRequests: Sendable {
    let database: Database
    let secret: SymmetricKey

    init(database: Database, secret: SymmetricKey) {
        self.database = database
        self.secret = secret
    }

    /// Why a key cannot be used for this request (the operation's 40901).
    enum Refusal: Error, Equatable {
        case differentRequest
        case unreadableStoredResponse

        var message: String {
            switch self {
            case .differentRequest: "this Idempotency-Key was already used for a different request"
            case .unreadableStoredResponse: "the response stored under this Idempotency-Key can no longer be read (the signing key changed); use a new key"
            }
        }
    }

    /// `run`, with a refusal thrown as `conflict(message)`: the operation's own 40901.
    func run<Value: ContractCodable & Sendable, Refused: Error>(
        _ scope: AccessScope, keyOwner: UUID? = nil, key: String, operation: String, request: JSONValue, status: Int,
        conflict: (String?) -> Refused, _ body: (RepositoryContext) async throws -> Value
    ) async throws -> Value {
        do {
            return try await run(scope, keyOwner: keyOwner, key: key, operation: operation, request: request, status: status, body)
        } catch let refusal as Refusal {
            throw conflict(refusal.message)
        }
    }

    /// `body`'s result for this request, run inside the transaction that claims `key`, or the
    /// result stored by the first request with `key`. The key belongs to the scope's user, or to
    /// `keyOwner` when a user's request runs in the system scope.
    func run<Value: ContractCodable & Sendable>(
        _ scope: AccessScope, keyOwner: UUID? = nil, key: String, operation: String, request: JSONValue, status: Int,
        _ body: (RepositoryContext) async throws -> Value
    ) async throws -> Value {
        let owner: UUID? = if case .user(let id) = scope { id } else { keyOwner }
        let fingerprint = ByteBuffer(bytes: Array(HMAC<SHA256>.authenticationCode(
            for: Array(operation.utf8) + [0] + JSONSerializer.serialize(request), using: secret)))
        return try await database.withContext(scope) { context in
            let queries = NamedQueries(context)
            if let claim = try await queries.claimIdempotencyKey(userId: owner, idempotencyKey: key, operationId: operation, requestHash: fingerprint) {
                let value = try await body(context)
                let sealed = try AES.GCM.seal(JSONSerializer.serialize(value.json), using: secret).combined ?? Data()
                _ = try await queries.completeIdempotencyKey(
                    id: claim.id, responseStatus: Int32(status), responseHeaders: .object(JSONObject()),
                    responseBody: .object(JSONObject([("sealed", .string(sealed.base64EncodedString()))])))
                return value
            }
            guard let stored = try await queries.findIdempotencyKey(userId: owner, idempotencyKey: key),
                  stored.operationId == operation, stored.requestHash == fingerprint else {
                throw Refusal.differentRequest
            }
            guard case .object(let envelope)? = stored.responseBody, case .string(let text)? = envelope["sealed"],
                  let combined = Data(base64Encoded: text),
                  let box = try? AES.GCM.SealedBox(combined: combined),
                  let opened = try? AES.GCM.open(box, using: secret),
                  let json = try? JSONParser.parse(Array(opened)),
                  let value = try? Value.decode(json: json) else {
                throw Refusal.unreadableStoredResponse
            }
            return value
        }
    }
}
