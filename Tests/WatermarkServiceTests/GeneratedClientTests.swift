import ContractClient
import ContractRuntime
import Foundation
import HummingbirdTesting
import Testing
import WatermarkClient

/// The generated Swift client (`WatermarkClient`, `--emit client`) against the service's router:
/// typed methods, checks before sending, declared failures as typed errors, and the bearer
/// middleware's refresh-token rotation.
@Suite("the generated client against the service")
struct GeneratedClientTests {
    static func client(_ transport: some ClientTransport, session: TokenSession? = nil) -> APIClient {
        var middlewares: [any ClientMiddleware] = [RequestIDMiddleware(), RetryMiddleware(policy: RetryPolicy(attempts: 2, firstDelay: .milliseconds(10)))]
        if let session { middlewares.append(BearerTokenMiddleware(session: session)) }
        return APIClient(ContractClient(baseURL: "http://in-process", transport: transport, middlewares: middlewares))
    }

    @Test func aUserSignsUpUploadsAndCreatesATaskThroughTheClient() async throws {
        try await ServiceHarness.with { app, _ in
            try await app.test(.router) { testClient in
                let transport = InProcessClientTransport(client: testClient)
                let anonymous = Self.client(transport)

                // A request that breaks the contract is refused before it is sent, with the server's pointers.
                await #expect {
                    _ = try await anonymous.register(idempotencyKey: "register-\(UUID())", body: RegisterRequest(email: "not an email", password: "correct horse battery", displayName: "Ann"))
                } throws: { error in
                    guard case ContractClientError.invalidRequest(let operation, let details) = error else { return false }
                    return operation == "register" && details.map(\.field) == ["/body/email"]
                }

                guard case .created(let session) = try await anonymous.register(
                    idempotencyKey: "register-\(UUID())", body: RegisterRequest(email: "ann-\(UUID())@example.com", password: "correct horse battery", displayName: "Ann"))
                else { Issue.record("register did not answer 201"); return }

                let refreshes = Counter()
                let tokens = TokenSession(
                    tokens: .init(accessToken: session.tokens.accessToken, refreshToken: session.tokens.refreshToken),
                    refresher: { refreshToken in
                        await refreshes.increment()
                        guard case .ok(let renewed) = try await anonymous.refreshTokens(idempotencyKey: "refresh-\(UUID())", body: RefreshRequest(refreshToken: refreshToken))
                        else { throw ContractClientError.undeclaredResponse(operationID: "refreshTokens", status: 0, excerpt: "") }
                        return .init(accessToken: renewed.accessToken, refreshToken: renewed.refreshToken)
                    })
                let api = Self.client(transport, session: tokens)

                guard case .ok(let me) = try await api.getMe() else { Issue.record("getMe"); return }
                #expect(me.displayName == "Ann")

                // Upload: a policy, then the bytes to its presigned URL.
                let png = UploadFixtures.png
                guard case .created(let policy) = try await api.createUploadPolicy(
                    idempotencyKey: "policy-\(UUID())", body: UploadPolicyRequest(fileName: "holiday.png", contentType: .imagePng, sizeBytes: Int64(png.count)))
                else { Issue.record("createUploadPolicy"); return }
                var upload = ClientRequest(presignedURL: policy.uploadUrl, method: policy.method.rawValue)
                upload.setRawBody(png, contentType: policy.headers["Content-Type"] ?? "image/png")
                let uploaded = try await api.core.send(upload)
                #expect(uploaded.status == 200)

                let mask = MaskInput(polygons: [MaskPolygon(points: [.init(x: 100, y: 100), .init(x: 400, y: 100), .init(x: 400, y: 300)])])
                guard case .created(let task) = try await api.createTask(
                    idempotencyKey: "task-\(UUID())", body: CreateTaskRequest(assetId: policy.assetId, mediaType: .image, mask: mask))
                else { Issue.record("createTask"); return }
                #expect(task.status == .queued && task.assetId == policy.assetId)
                guard case .ok(let listed) = try await api.listTasks(status: .queued) else { Issue.record("listTasks"); return }
                #expect(listed.items.map(\.id) == [task.id])

                // A declared error is the operation's typed failure, with the catalog code and the request id.
                await #expect {
                    _ = try await api.getTask(taskId: UUID())
                } throws: { error in
                    guard let failure = error as? ClientOperations.GetTask.Failure else { return false }
                    return failure.code == .notFound && failure.answer.status == 404 && failure.answer.requestID?.isEmpty == false
                }

                // A rejected access token is renewed once through the refresh rotation, however many
                // requests find it rejected at the same time; each gets its answer.
                await tokens.signIn(.init(accessToken: "expired-or-forged", refreshToken: await tokens.tokens!.refreshToken))
                let answers = try await withThrowingTaskGroup(of: Bool.self) { group in
                    for _ in 0..<5 {
                        group.addTask { if case .ok(let user) = try await api.getMe() { user.id == me.id } else { false } }
                    }
                    return try await group.reduce(into: [Bool]()) { $0.append($1) }
                }
                #expect(answers == [true, true, true, true, true])
                #expect(await refreshes.value == 1)
                #expect(await tokens.accessToken != "expired-or-forged")
            }
        }
    }
}

/// A count shared by concurrent tasks.
actor Counter {
    private(set) var value = 0
    func increment() { value += 1 }
}
