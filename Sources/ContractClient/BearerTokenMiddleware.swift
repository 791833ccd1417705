/// Attaches `Authorization: Bearer …` to requests whose operation's security takes a bearer token
/// (`security: []` operations never get one), and after a 401 renews the tokens once through the
/// session's refresh and sends the request again.
public struct BearerTokenMiddleware: ClientMiddleware {
    public let session: TokenSession

    public init(session: TokenSession) {
        self.session = session
    }

    public func intercept(_ request: ClientRequest, next: @Sendable (ClientRequest) async throws -> ClientResponse) async throws -> ClientResponse {
        guard request.sendsCredentials, let token = await session.accessToken else { return try await next(request) }
        var request = request
        request.setHeader("Authorization", "Bearer " + token)
        let response = try await next(request)
        guard response.status == 401, let renewed = await session.renew(after: token) else { return response }
        request.setHeader("Authorization", "Bearer " + renewed)
        return try await next(request)
    }
}
