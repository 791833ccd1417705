import ContractClient
import ContractRuntime
import Foundation
import HummingbirdTesting
import Testing
import WatermarkClient

/// A person using the service in the end-to-end tests: the generated client (`WatermarkClient`)
/// signed in as them over the router in process, as an app built on the client would call it.
/// Tests of raw HTTP edges (malformed bodies, headers, signed links) keep `TestClientProtocol.send`.
struct ServiceUser: Sendable {
    static let password = "correct-horse-battery"

    let api: APIClient
    let session: AuthSession

    var token: String { session.tokens.accessToken }
    var id: UUID { session.user.id }

    /// Registers an account (from device `laptop-1`) and signs the client in with its access token.
    static func register(
        _ client: any TestClientProtocol, email: String = "ada@example.com", password: String = password, displayName: String = "Ada",
        key: String = "register-\(UUID())"
    ) async throws -> ServiceUser {
        let session = try await APIClient.inProcess(client).register(
            idempotencyKey: key, xDeviceId: "laptop-1", body: RegisterRequest(email: email, password: password, displayName: displayName)
        ).body
        return ServiceUser(api: .inProcess(client, token: session.tokens.accessToken), session: session)
    }

    /// An UPLOADED asset holding `bytes`: a policy, then the bytes to its presigned URL.
    func uploadedAsset(_ bytes: [UInt8] = UploadFixtures.png, contentType: UploadPolicyRequest.ContentType = .imagePng) async throws -> UUID {
        let policy = try await uploadPolicy(for: bytes, contentType: contentType)
        var upload = ClientRequest(presignedURL: policy.uploadUrl, method: policy.method.rawValue)
        upload.setRawBody(bytes, contentType: policy.headers["Content-Type"] ?? contentType.rawValue)
        let stored = try await api.core.send(upload)
        #expect(stored.status == 200, "the upload answered \(stored.status): \(stored.excerpt)")
        return policy.assetId
    }

    /// The upload policy for `bytes` declared as `contentType` (`size` defaults to the real size).
    func uploadPolicy(
        for bytes: [UInt8], contentType: UploadPolicyRequest.ContentType = .imagePng, size: Int? = nil, fileName: String = "holiday.png"
    ) async throws -> UploadPolicy {
        try await api.createUploadPolicy(
            idempotencyKey: "policy-\(UUID())",
            body: UploadPolicyRequest(fileName: fileName, contentType: contentType, sizeBytes: Int64(size ?? bytes.count))
        ).body
    }

    /// Creates an IMAGE task on `asset`: with `mask`, auto-detected, or waiting for a mask.
    func task(asset: UUID, mask: MaskInput? = nil, autoDetect: Bool = false, mode: ProcessingMode? = nil, key: String = "create-\(UUID())") async throws -> TaskModel {
        try await api.createTask(
            idempotencyKey: key, body: CreateTaskRequest(assetId: asset, mediaType: .image, mode: mode, mask: mask, autoDetect: autoDetect)
        ).body
    }
}

extension MaskInput {
    /// The lower right corner box (1320…1800 × 810…990 of the 1920×1080 canvas) most task tests draw.
    static let cornerBox = MaskInput(polygons: [MaskPolygon(points: [
        .init(x: 1320, y: 810), .init(x: 1800, y: 810), .init(x: 1800, y: 990), .init(x: 1320, y: 990),
    ])])
}

extension APIClient {
    /// The generated client over the router in process, every answer checked against the contract;
    /// with `token`, operations that take a bearer token send it.
    static func inProcess(_ client: any TestClientProtocol, token: String? = nil, language: String? = nil) -> APIClient {
        APIClient(ContractClient(
            baseURL: "http://in-process", transport: InProcessClientTransport(client: client),
            middlewares: [RequestIDMiddleware()] + (token.map { [FixedBearerToken(token: $0)] } ?? []),
            validatesResponses: true, language: language))
    }
}

/// `Authorization: Bearer` with one token on the operations that take it, and nothing else: a test's
/// signed-in user whose token expiry and refresh are tested on purpose elsewhere.
struct FixedBearerToken: ClientMiddleware {
    let token: String

    func intercept(_ request: ClientRequest, next: @Sendable (ClientRequest) async throws -> ClientResponse) async throws -> ClientResponse {
        guard request.sendsCredentials else { return try await next(request) }
        var request = request
        request.setHeader("Authorization", "Bearer " + token)
        return try await next(request)
    }
}

/// Expects `body` to throw an error answer the operation declares, with catalog `code` (and HTTP
/// `status` when given); returns the answer for further checks.
@discardableResult
func expectFailure<Value>(
    _ code: Int, status: Int? = nil, sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> Value
) async -> ErrorAnswer? {
    do {
        let value = try await body()
        Issue.record("expected the failure \(code), got \(value)", sourceLocation: sourceLocation)
    } catch let failure as any ContractFailure {
        #expect(failure.answer.code == code, "\(failure)", sourceLocation: sourceLocation)
        if let status { #expect(failure.answer.status == status, "\(failure)", sourceLocation: sourceLocation) }
        return failure.answer
    } catch {
        Issue.record("expected the failure \(code), got \(error)", sourceLocation: sourceLocation)
    }
    return nil
}
