import ContractRuntime
import EmbeddedPostgres
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import PostgresNIO
import PostgresSupport
import WatermarkAPI
@testable import WatermarkService

/// The service in-process over a real embedded PostgreSQL 15 with the contract's migrations,
/// connected as the service's own role (no superuser, no BYPASSRLS), as `watermark serve` runs it.
struct ServiceHarness {
    let cluster: EmbeddedPostgres
    let auth: AuthServices
    /// A superuser connection for checks behind the service's back.
    let admin: PostgresClient
    /// The service's own database access and storage (what the workers use).
    let database: Database
    let storage: any ObjectStorage
    let configuration: ServiceConfiguration

    /// The worker steps over the service's database and storage.
    var pipeline: TaskPipelineSteps {
        TaskPipelineSteps(database: database, storage: storage, resultLifetime: TimeInterval(configuration.resultTTLSeconds))
    }

    static let migrations = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("contracts/db/migrations").path

    /// Runs `body` with the service's router and the harness; `migrate: false` leaves the database empty.
    static func with(
        _ configure: (inout ServiceConfiguration) -> Void = { _ in }, migrate: Bool = true, metrics: ServiceMetrics = ServiceMetrics(),
        announcements: TaskEventAnnouncements = TaskEventAnnouncements(), logger requestLogger: Logger = Logger(label: "watermark"),
        _ body: (any ApplicationProtocol, ServiceHarness) async throws -> Void
    ) async throws {
        let logger = Logger(label: "test")
        let cluster = try EmbeddedPostgres.start()
        defer { cluster.stop() }
        try await cluster.createDatabase("service")
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("service-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        var configuration = ServiceConfiguration()
        // A loaded CI machine (many suites, each with its own cluster, on two cores) can take more
        // than the production default of 5 s to open a connection; tests of the wait set their own.
        configuration.databaseWaitMilliseconds = 60_000
        configuration.storageDirectory = scratch + "/storage"
        configuration.developmentKeyFile = scratch + "/jwt-dev-key.pem"
        configure(&configuration)
        var service = cluster.configuration(database: "service")
        if migrate {
            try await PostgresClient.withRunning(cluster.configuration(database: "service"), logger: logger) { client in
                try await MigrationRunner(client: client, migrations: try MigrationSet.load(directory: migrations), logger: logger).up()
                try await WatermarkServer.createServiceRole(client, logger: logger)
            }
            service.username = WatermarkServer.serviceRole
        }
        try await PostgresClient.withRunning(cluster.configuration(database: "service"), logger: logger) { admin in
            try await PostgresClient.withRunning(service, logger: logger) { client in
              try await PostgresClient.withRunning(service.systemSession, logger: logger) { systemClient in
                let database = Database(
                    client: client, systemClient: systemClient, connectionWait: .milliseconds(configuration.databaseWaitMilliseconds))
                // A cheap hash keeps the tests quick; the standard cost is checked in AuthPrimitivesTests.
                let auth = try await AuthServices.make(configuration, database: database, passwords: PasswordHasher(costLog2: 10, blockSize: 8, parallelism: 1))
                let storage = try await WatermarkServer.makeStorage(configuration, auth: auth)
                let router = try WatermarkServer.router(
                    configuration: configuration, database: database, storage: storage, auth: auth, metrics: metrics, announcements: announcements)
                try await body(Application(router: ErrorRecordingRouter(router: router), logger: requestLogger), ServiceHarness(cluster: cluster, auth: auth, admin: admin, database: database, storage: storage, configuration: configuration))
              }
            }
        }
    }

    /// The envelope of a response: `code`, `message`, `requestId` and `data`.
    static func envelope(_ response: TestResponse) throws -> JSONObject {
        guard case .object(let envelope) = try JSONParser.parse(Array(response.body.readableBytesView)) else {
            throw ContractValidationError([FieldIssue(field: "", reason: "not a JSON object")])
        }
        return envelope
    }

    /// The `data` of a successful response, decoded as `Value`.
    static func data<Value: ContractCodable>(_ response: TestResponse, as type: Value.Type) throws -> Value {
        guard case .object(let data)? = try envelope(response)["data"] else {
            throw ContractValidationError([FieldIssue(field: "/data", reason: "missing in \(response.status): \(String(buffer: response.body).prefix(500))")])
        }
        return try Value.decode(json: .object(data))
    }

    /// The catalog code of an error response.
    static func code(_ response: TestResponse) throws -> Int64? {
        guard case .integer(let code)? = try envelope(response)["code"] else { return nil }
        return code
    }
}

extension TestClientProtocol {
    /// A JSON request with the headers a client sends (`Idempotency-Key` when given, a bearer token when given).
    func send(
        _ method: HTTPRequest.Method, _ uri: String, json: String? = nil, key: String? = nil, token: String? = nil,
        headers extra: [String: String] = [:]
    ) async throws -> TestResponse {
        var headers = HTTPFields()
        if json != nil { headers[.contentType] = "application/json" }
        if let key { headers[HTTPField.Name("Idempotency-Key")!] = key }
        if let token { headers[.authorization] = "Bearer \(token)" }
        for (name, value) in extra { headers[HTTPField.Name(name)!] = value }
        return try await execute(uri: uri, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) })
    }
}
