import Foundation

/// Gives every request an `X-Request-Id` (a new UUID unless the caller set one); retries of it keep it.
public struct RequestIDMiddleware: ClientMiddleware {
    public init() {}

    public func intercept(_ request: ClientRequest, next: @Sendable (ClientRequest) async throws -> ClientResponse) async throws -> ClientResponse {
        var request = request
        if request.header("X-Request-Id") == nil { request.setHeader("X-Request-Id", UUID().uuidString.lowercased()) }
        return try await next(request)
    }
}
