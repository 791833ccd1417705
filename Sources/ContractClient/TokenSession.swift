/// The bearer credentials of a signed-in client: the access token sent with requests and the refresh
/// token that rotates them. One refresh runs at a time; callers that find the token rejected
/// meanwhile wait for it and use its result.
public actor TokenSession {
    /// An access token and the refresh token that goes with it.
    public struct Tokens: Sendable, Hashable {
        public var accessToken: String
        public var refreshToken: String
        public init(accessToken: String, refreshToken: String) {
            self.accessToken = accessToken
            self.refreshToken = refreshToken
        }
    }

    public private(set) var tokens: Tokens?
    private let refresher: @Sendable (String) async throws -> Tokens
    private let onRotate: @Sendable (Tokens?) -> Void
    private var refreshing: Task<Tokens, any Error>?

    /// `refresher` trades a refresh token for new tokens (the contract's refresh operation);
    /// `onRotate` hears every change (to store them), nil when a refresh failed and the session ended.
    public init(tokens: Tokens?, refresher: @escaping @Sendable (String) async throws -> Tokens, onRotate: @escaping @Sendable (Tokens?) -> Void = { _ in }) {
        self.tokens = tokens
        self.refresher = refresher
        self.onRotate = onRotate
    }

    public var accessToken: String? { tokens?.accessToken }

    public func signIn(_ tokens: Tokens) {
        self.tokens = tokens
        onRotate(tokens)
    }

    public func signOut() {
        tokens = nil
        refreshing?.cancel()
        refreshing = nil
        onRotate(nil)
    }

    /// New tokens after the server rejected `rejected`: a refresh, unless another caller already got
    /// tokens newer than the rejected one (then those). Nil when there is nothing to refresh with or the
    /// refresh failed (the session has ended).
    public func renew(after rejected: String) async -> String? {
        if let current = tokens, current.accessToken != rejected { return current.accessToken }
        if let refreshing { return try? await refreshing.value.accessToken }
        guard let refreshToken = tokens?.refreshToken else { return nil }
        let refresher = self.refresher
        let task = Task { try await refresher(refreshToken) }
        refreshing = task
        defer { refreshing = nil }
        do {
            let renewed = try await task.value
            tokens = renewed
            onRotate(renewed)
            return renewed.accessToken
        } catch {
            tokens = nil
            onRotate(nil)
            return nil
        }
    }
}
