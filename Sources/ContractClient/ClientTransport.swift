/// Sends a request to a server and returns its answer; AsyncHTTPClient's in production, anything
/// else (an in-process server) in tests.
public protocol ClientTransport: Sendable {
    func send(_ request: ClientRequest, baseURL: String) async throws -> ClientResponse
}
