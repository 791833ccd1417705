import ContractClient
import Crypto
import WatermarkClient

/// A generated client of a running service for the client commands: request ids, retries of
/// idempotent requests, and — when signed in — the bearer token, refreshed through the token file.
enum ServiceConnection {
    static func client(server: String, session: TokenSession? = nil) -> APIClient {
        var middlewares: [any ClientMiddleware] = [RequestIDMiddleware(), RetryMiddleware()]
        if let session { middlewares.append(BearerTokenMiddleware(session: session)) }
        return APIClient(ContractClient(baseURL: server, middlewares: middlewares))
    }

    /// A session from the token file whose rotations are written back to it.
    static func session(server: String, tokenFile: TokenFile) throws -> TokenSession {
        let anonymous = client(server: server)
        return TokenSession(tokens: try tokenFile.read(), refresher: { refreshToken in
            // The key names this refresh token without showing it: a retried refresh replays the first answer.
            let key = "refresh-" + SHA256.hash(data: Array(refreshToken.utf8)).prefix(16).map { String($0, radix: 16) }.joined()
            guard case .ok(let tokens) = try await anonymous.refreshTokens(idempotencyKey: key, body: RefreshRequest(refreshToken: refreshToken)) else {
                throw CommandFailure(.signIn, "the session could not be renewed")
            }
            return TokenSession.Tokens(accessToken: tokens.accessToken, refreshToken: tokens.refreshToken)
        }, onRotate: { tokenFile.write($0) })
    }
}
