import ContractRuntime
import ContractServer
import FixtureAPI
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

/// A scheme with `x-principal` promises its handlers a principal of that shape: the server refuses
/// a credential whose principal does not fit (40101) before any handler runs, whatever the
/// authenticator made of it.
@Suite("x-principal: the caller's shape is checked before a handler runs")
struct PrincipalShapeTests {
    /// Makes the credential's text the subject; `…+sid` adds a UUID `sid` claim, `…+badsid` a malformed one.
    struct EchoAuthenticator: ContractAuthenticator {
        func authenticate(_ credential: Credential, for operation: OperationDescriptor) async throws -> Principal {
            let parts = credential.value.split(separator: "+").map(String.init)
            var claims: [String: String] = [:]
            if parts.contains("sid") { claims["sid"] = "0b9e1f3a-6c2d-4e8f-a1b2-3c4d5e6f7a8b" }
            if parts.contains("badsid") { claims["sid"] = "session-1" }
            return Principal(subject: parts[0], claims: claims)
        }
    }

    static let scheme = SecuritySchemeDescriptor(
        name: "bearerAuth", kind: .bearer(format: "JWT"), principal: PrincipalShape(subject: .uuid, claims: ["sid": .uuid]))

    @Test func aPrincipalThatDoesNotFitTheSchemeIsUnauthenticated() async throws {
        let server = ContractServer(errors: ErrorCode.standard, configuration: .init(authenticator: EchoAuthenticator()))
        let operation = OperationDescriptor(
            operationID: "probe", method: "GET", path: "/probe", security: [[Self.scheme]], roles: [], requestContentTypes: [], requestBodyRequired: false)
        let reached = Mutex(0)
        let router = Router()
        router.get("/probe") { request, context in
            await server.serve(request, context: context, operation: operation, decode: { parts, _ in parts.principal }) { principal in
                reached.withLock { $0 += 1 }
                return OperationResponse(status: 200, body: .json(.string(principal.subject)))
            }
        }
        try await Application(router: router).test(.router) { client in
            func status(_ token: String) async throws -> (HTTPResponse.Status, String) {
                let response = try await client.execute(uri: "/probe", method: .get, headers: [.authorization: "Bearer \(token)"])
                return (response.status, String(buffer: response.body))
            }
            let user = "5e2d7c4b-9a1f-4b3e-8c6d-2f1a0e9b8c7d"
            let fits = try await status("\(user)+sid")
            #expect(fits.0 == .ok && fits.1 == "\"\(user)\"")
            for (token, why) in [("user-7+sid", "its subject is not a uuid"), (user, "it has no sid claim"), ("\(user)+badsid", "its sid claim is not a uuid")] {
                let (code, body) = try await status(token)
                #expect(code == .unauthorized && body.contains("40101") && body.contains(why), "\(token): \(body)")
            }
            #expect(reached.withLock { $0 } == 1, "only the fitting caller reached the handler")
        }
    }
}
