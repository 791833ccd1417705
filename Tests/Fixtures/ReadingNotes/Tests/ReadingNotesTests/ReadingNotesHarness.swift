import ContractClient
import EmbeddedPostgres
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import PostgresNIO
import PostgresSupport
import ReadingNotesClient
import ReadingNotesService
import Testing

/// The reading-notes service in-process on a local port over a throwaway PostgreSQL 15 cluster with the
/// contract's migrations, connected as the service's own role (no superuser, no BYPASSRLS) so row-level
/// security is in force; readers call it through the generated client.
struct ReadingNotesHarness {
    /// The secret the tests sign reader tokens with, as a sign-in service would.
    static let secret = "reading-notes-test-secret-0123456789"

    let tokens: ReaderTokens
    /// The service's own database access, for checks behind the API's back.
    let database: Database
    let baseURL: String

    /// Runs `body` with the service started on a fresh cluster; everything is stopped when it returns.
    static func with(_ body: @Sendable (ReadingNotesHarness) async throws -> Void) async throws {
        let logger = Logger(label: "reading-notes-test")
        let cluster = try EmbeddedPostgres.start()
        defer { cluster.stop() }
        try await cluster.createDatabase("notes")
        try await PostgresClient.withRunning(cluster.configuration(database: "notes"), logger: logger) { superuser in
            try await ReadingNotesServer.prepare(superuser, logger: logger)
        }
        var service = cluster.configuration(database: "notes")
        service.username = ReadingNotesServer.serviceRole
        let tokens = try await ReaderTokens(secret: secret)
        try await PostgresClient.withRunning(service, logger: logger) { client in
            let database = Database(client: client, logger: logger, connectionWait: .seconds(60))
            let application = Application(
                router: ReadingNotesServer.router(database: database, tokens: tokens, logger: logger),
                configuration: .init(address: .hostname("127.0.0.1", port: 0)))
            try await application.test(.live) { server in
                let port = try #require(server.port)
                try await body(ReadingNotesHarness(tokens: tokens, database: database, baseURL: "http://127.0.0.1:\(port)"))
            }
        }
    }

    /// The generated client calling as `reader` (a token valid for an hour), or with `token` as it is, or
    /// with no credentials at all when both are nil.
    func client(as reader: UUID? = nil, token: String? = nil) async throws -> APIClient {
        APIClient(try await transport(as: reader, token: token))
    }

    /// What the generated client sends through, for requests it would never write (a broken form).
    func transport(as reader: UUID? = nil, token: String? = nil) async throws -> ContractClient {
        var bearer = token
        if let reader { bearer = try await tokens.issue(reader: reader, expiresAt: Date().addingTimeInterval(3600)) }
        let middlewares: [any ClientMiddleware] = [RequestIDMiddleware()] + (bearer.map { [FixedBearerToken(token: $0)] } ?? [])
        return ContractClient(baseURL: baseURL, middlewares: middlewares, validatesResponses: true)
    }
}

/// Sends one fixed bearer token with every request whose operation takes credentials (no refreshing:
/// the tests want to see the service's answer to the token itself).
struct FixedBearerToken: ClientMiddleware {
    let token: String

    func intercept(_ request: ClientRequest, next: @Sendable (ClientRequest) async throws -> ClientResponse) async throws -> ClientResponse {
        guard request.sendsCredentials else { return try await next(request) }
        var request = request
        request.setHeader("Authorization", "Bearer \(token)")
        return try await next(request)
    }
}
