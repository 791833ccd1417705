/// A step every request of a client goes through before the transport: it may change the request,
/// answer it, or send it again.
public protocol ClientMiddleware: Sendable {
    func intercept(_ request: ClientRequest, next: @Sendable (ClientRequest) async throws -> ClientResponse) async throws -> ClientResponse
}
