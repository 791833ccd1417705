import ContractClient
import Testing

/// A transport that answers from a script and records what it was sent.
actor ScriptedTransport: ClientTransport {
    private var answers: [Result<ClientResponse, any Error>]
    private(set) var sent: [ClientRequest] = []

    init(_ answers: [Result<ClientResponse, any Error>]) {
        self.answers = answers
    }

    func send(_ request: ClientRequest, baseURL: String) async throws -> ClientResponse {
        sent.append(request)
        return try answers.removeFirst().get()
    }

    static func answer(_ status: Int, headers: [(name: String, value: String)] = [], body: String = "{}") -> Result<ClientResponse, any Error> {
        .success(ClientResponse(status: status, headers: headers, body: Array(body.utf8)))
    }
}

struct ConnectionReset: Error {}

@Suite("client middlewares")
struct MiddlewareTests {
    static func client(_ transport: ScriptedTransport, session: TokenSession? = nil) -> ContractClient {
        var middlewares: [any ClientMiddleware] = [RequestIDMiddleware(), RetryMiddleware(policy: RetryPolicy(attempts: 3, firstDelay: .milliseconds(1)))]
        if let session { middlewares.append(BearerTokenMiddleware(session: session)) }
        return ContractClient(baseURL: "http://service", transport: transport, middlewares: middlewares)
    }

    @Test func anIdempotentRequestIsSentAgainWithTheSameKeyAndRequestID() async throws {
        let transport = ScriptedTransport([
            .failure(ConnectionReset()), ScriptedTransport.answer(503, headers: [("Retry-After", "0")]), ScriptedTransport.answer(201),
        ])
        var request = ClientRequest(operationID: "createTask", method: "POST", pathTemplate: "/v1/tasks", sendsCredentials: false)
        request.setHeader("Idempotency-Key", "task-1")
        let response = try await Self.client(transport).send(request)
        #expect(response.status == 201)
        let sent = await transport.sent
        #expect(sent.count == 3)
        #expect(Set(sent.compactMap { $0.header("Idempotency-Key") }) == ["task-1"])
        #expect(Set(sent.compactMap { $0.header("X-Request-Id") }).count == 1)
    }

    @Test func aRequestWithoutAnIdempotencyKeyIsSentOnce() async throws {
        let transport = ScriptedTransport([ScriptedTransport.answer(503), ScriptedTransport.answer(201)])
        let request = ClientRequest(operationID: "register", method: "POST", pathTemplate: "/v1/auth/register", sendsCredentials: false)
        #expect(try await Self.client(transport).send(request).status == 503)
        await #expect(throws: ConnectionReset.self) {
            _ = try await Self.client(ScriptedTransport([.failure(ConnectionReset())])).send(request)
        }
        #expect(await transport.sent.count == 1)
    }

    @Test func aRetryAfterLongerThanTheLongestWaitIsTheAnswer() async throws {
        let transport = ScriptedTransport([ScriptedTransport.answer(429, headers: [("Retry-After", "3600")])])
        let request = ClientRequest(operationID: "getTask", method: "GET", pathTemplate: "/v1/tasks/1", sendsCredentials: false)
        #expect(try await Self.client(transport).send(request).status == 429)
        #expect(await transport.sent.count == 1)
    }

    @Test func publicOperationsNeverCarryTheToken() async throws {
        let session = TokenSession(tokens: .init(accessToken: "access", refreshToken: "refresh"), refresher: { _ in .init(accessToken: "a2", refreshToken: "r2") })
        let transport = ScriptedTransport([ScriptedTransport.answer(200), ScriptedTransport.answer(200)])
        let client = Self.client(transport, session: session)
        _ = try await client.send(ClientRequest(operationID: "getHealth", method: "GET", pathTemplate: "/v1/system/health", sendsCredentials: false))
        _ = try await client.send(ClientRequest(operationID: "getMe", method: "GET", pathTemplate: "/v1/auth/me", sendsCredentials: true))
        let sent = await transport.sent
        #expect(sent.map { $0.header("Authorization") } == [nil, "Bearer access"])
    }

    @Test func aFailedRefreshEndsTheSessionAndAnswersTheRejection() async throws {
        struct Refused: Error {}
        let session = TokenSession(tokens: .init(accessToken: "old", refreshToken: "reused"), refresher: { _ in throw Refused() })
        let transport = ScriptedTransport([ScriptedTransport.answer(401, body: #"{"code":40101,"message":"expired","requestId":"r"}"#)])
        let response = try await Self.client(transport, session: session).send(
            ClientRequest(operationID: "getMe", method: "GET", pathTemplate: "/v1/auth/me", sendsCredentials: true))
        #expect(response.status == 401 && ErrorAnswer(response)?.code == 40101)
        #expect(await session.tokens == nil)
        #expect(await transport.sent.count == 1)
    }

    @Test func pathAndQueryValuesArePercentEncoded() {
        var request = ClientRequest(operationID: "x", method: "GET", pathTemplate: "/v1/plans/{planCode}", sendsCredentials: false)
        request.setPath("planCode", "a b/c")
        #expect(request.path == "/v1/plans/a%20b%2Fc")
    }
}
