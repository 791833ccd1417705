import ContractRuntime
import ContractServer
import FixtureAPI
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization
import Testing

/// Drives the generated routes of the fixture contract in-process, through Hummingbird.
@Suite("Generated routes")
struct GeneratedRoutesTests {
    static func application(
        maxBodyBytes: Int = 4096, widgets: FixtureWidgets = FixtureWidgets(), logger: Logger = Logger(label: "contract-runtime")
    ) -> some ApplicationProtocol {
        let server = ContractServer(
            errors: ErrorCode.standard,
            configuration: .init(maxBodyBytes: maxBodyBytes, validateResponses: true, authenticator: FixtureAuthenticator(), logger: logger))
        let router = Router()
        router.addContractSupport(server: server)
        router.addWidgetsAPI(widgets, server: server)
        router.addSystemAPI(FixtureSystem(), server: server)
        return Application(router: router)
    }

    static let auth: HTTPFields = [.authorization: "Bearer good", .contentType: "application/json", HTTPField.Name("Idempotency-Key")!: "key-00000001"]

    static func json(_ buffer: ByteBuffer) throws -> JSONObject {
        guard case .object(let object) = try JSONParser.parse(Array(buffer.readableBytesView)) else {
            throw ContractValidationError([FieldIssue(field: "", reason: "not an object")])
        }
        return object
    }

    static func details(_ object: JSONObject) -> [String] {
        guard case .array(let items)? = object["details"] else { return [] }
        return items.compactMap { item in
            guard case .object(let detail) = item, case .string(let field)? = detail["field"], case .string(let reason)? = detail["reason"] else { return nil }
            return "\(field): \(reason)"
        }
    }

    @Test func anOperationWithRawBytesGetsTheBodyExactlyAsSent() async throws {
        let widgets = FixtureWidgets()
        try await Self.application(widgets: widgets).test(.router) { client in
            let body = "{ \"name\" :\t\"gear-raw\", \"color\":\"RED\",\n \"shape\":{\"kind\":\"CIRCLE\",\"center\":{\"x\":1.50,\"y\":2},\"radius\":5} }\n"
            let created = try await client.execute(uri: "/v1/widgets", method: .post, headers: Self.auth, body: ByteBuffer(string: body))
            #expect(created.status == .created)
            let id = try #require(await widgets.store.all().first?.id)
            let bytes = try #require(await widgets.store.creationBytes(for: id))
            #expect(String(buffer: bytes.bytes) == body, "whitespace and number spelling as sent, for a signature over them")
            #expect(bytes.contentType == "application/json")
        }
    }

    /// Every log line a `CapturingLogHandler` was given.
    final class CapturedLines: Sendable {
        let lines = Mutex<[(message: String, metadata: Logger.Metadata)]>([])
    }

    /// Keeps the message and metadata of every log line.
    struct CapturingLogHandler: LogHandler {
        let captured: CapturedLines
        var logLevel: Logger.Level = .info
        var metadata: Logger.Metadata = [:]
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            captured.lines.withLock { $0.append((event.message.description, metadata.merging(event.metadata ?? [:]) { _, new in new })) }
        }
    }

    @Test func aResponseTheContractDoesNotAllowIsCaughtWithItsOperationAndField() async throws {
        let captured = CapturedLines()
        let logger = Logger(label: "contract-runtime") { _ in CapturingLogHandler(captured: captured) }
        try await Self.application(logger: logger).test(.router) { client in
            let created = try await client.execute(uri: "/v1/widgets", method: .post, headers: Self.auth, body: ByteBuffer(string: #"{"name":"off-contract","color":"RED"}"#))
            #expect(created.status == .internalServerError)
            let envelope = try Self.json(created.body)
            #expect(envelope["code"] == .integer(50001))
            #expect(envelope["message"] == .string("response of createWidget breaks the contract at /version: must be at least 1"))
            // The line with the cause names the request, so an operator finds it from the client's id.
            let requestID = try #require(created.headers[HTTPField.Name("X-Request-Id")!])
            let causes = captured.lines.withLock { $0.filter { $0.message == "response breaks the contract" } }
            #expect(causes.count == 1 && causes.first?.metadata["request_id"]?.description == requestID, "\(causes)")
        }
    }

    @Test func createsAndReadsWithEnvelopeAndRequestID() async throws {
        try await Self.application().test(.router) { client in
            let body = #"{"name":"gear-1","color":"RED","shape":{"kind":"CIRCLE","center":{"x":10,"y":20},"radius":5}}"#
            var headers = Self.auth
            headers[HTTPField.Name("X-Request-Id")!] = "req-123"
            let created = try await client.execute(uri: "/v1/widgets", method: .post, headers: headers, body: ByteBuffer(string: body))
            #expect(created.status == .created)
            #expect(created.headers[HTTPField.Name("X-Request-Id")!] == "req-123")
            let envelope = try Self.json(created.body)
            #expect(envelope["code"] == .integer(0))
            #expect(envelope["requestId"] == .string("req-123"))
            guard case .object(let widget)? = envelope["data"], case .string(let id)? = widget["id"] else {
                Issue.record("no widget in \(envelope)")
                return
            }
            #expect(widget["note"] == .null, "a required nullable field is written as null")
            #expect(widget["createdAt"] == .string("2027-01-15T08:00:00.000Z"))

            let fetched = try await client.execute(uri: "/v1/widgets/\(id)", method: .get, headers: [.authorization: "Bearer good"])
            #expect(fetched.status == .ok)
            #expect(fetched.headers[HTTPField.Name("X-Request-Id")!]?.isEmpty == false, "a request id is created when none is sent")
            let page = try await client.execute(uri: "/v1/widgets?color=RED&limit=5", method: .get, headers: [.authorization: "Bearer good"])
            guard case .object(let data)? = try Self.json(page.body)["data"], case .array(let items)? = data["items"] else {
                Issue.record("no page")
                return
            }
            #expect(items.count == 1)
        }
    }

    @Test func collectsEveryViolationWithPointers() async throws {
        try await Self.application().test(.router) { client in
            let body = #"{"name":"Bad Name","color":"PURPLE","tags":["a","a"],"priority":3,"weight":0,"homepage":"nope","extra":1,"shape":{"kind":"POLYGON","points":[{"x":1,"y":2}]}}"#
            var headers = Self.auth
            headers[HTTPField.Name("Idempotency-Key")!] = "short"
            let response = try await client.execute(uri: "/v1/widgets", method: .post, headers: headers, body: ByteBuffer(string: body))
            #expect(response.status == .badRequest)
            let envelope = try Self.json(response.body)
            #expect(envelope["code"] == .integer(40001))
            let details = Set(Self.details(envelope))
            #expect(details == [
                "/header/Idempotency-Key: must be at least 8 characters long",
                "/body/extra: is not a known property",
                "/body/color: must be one of RED, GREEN, BLUE",
                "/body/name: must match the pattern ^[a-z][a-z0-9-]*$",
                "/body/tags/1: duplicates an earlier item; items must be unique",
                "/body/homepage: must be a valid uri",
                "/body/priority: must be a multiple of 2",
                "/body/weight: must be greater than 0",
                "/body/shape/points: must have at least 3 items",
            ])
        }
    }

    @Test func queryAndPathParametersAreValidated() async throws {
        try await Self.application().test(.router) { client in
            let list = try await client.execute(uri: "/v1/widgets?limit=0&color=PINK&before=soon", method: .get, headers: [.authorization: "Bearer good"])
            #expect(list.status == .badRequest)
            #expect(Set(Self.details(try Self.json(list.body))) == [
                "/query/limit: must be at least 1", "/query/color: must be one of RED, GREEN, BLUE", "/query/before: must be an RFC 3339 date-time",
            ])
            let earlier = try await client.execute(uri: "/v1/widgets?before=2000-01-01T00:00:00Z", method: .get, headers: [.authorization: "Bearer good"])
            #expect(earlier.status == .ok)
            let get = try await client.execute(uri: "/v1/widgets/not-a-uuid", method: .get, headers: [.authorization: "Bearer good"])
            #expect(Self.details(try Self.json(get.body)) == ["/path/widgetId: must be a UUID"])
            let missing = try await client.execute(uri: "/v1/widgets/\(UUID().uuidString)", method: .get, headers: [.authorization: "Bearer good"])
            #expect(missing.status == .notFound)
            #expect(try Self.json(missing.body)["code"] == .integer(40401))
        }
    }

    @Test func authenticationAndLanguage() async throws {
        try await Self.application().test(.router) { client in
            let none = try await client.execute(uri: "/v1/widgets", method: .get, headers: [.acceptLanguage: "zh-CN"])
            #expect(none.status == .unauthorized)
            let envelope = try Self.json(none.body)
            #expect(envelope["code"] == .integer(40101))
            #expect(envelope["message"] == .string("需要登录。"))
            let expired = try await client.execute(uri: "/v1/widgets", method: .get, headers: [.authorization: "Bearer expired"])
            #expect(try Self.json(expired.body)["code"] == .integer(40102))
            let health = try await client.execute(uri: "/v1/health", method: .get)
            #expect(health.status == .ok, "a public operation needs no token")
        }
    }

    @Test func transportErrorsUseTheCatalog() async throws {
        try await Self.application(maxBodyBytes: 64).test(.router) { client in
            var headers = Self.auth
            headers[.contentType] = "text/plain"
            let wrongType = try await client.execute(uri: "/v1/widgets", method: .post, headers: headers, body: ByteBuffer(string: "{}"))
            #expect(wrongType.status == .unsupportedMediaType)
            #expect(try Self.json(wrongType.body)["code"] == .integer(41501))

            let big = "{\"name\":\"" + String(repeating: "a", count: 200) + "\",\"color\":\"RED\"}"
            let tooLarge = try await client.execute(uri: "/v1/widgets", method: .post, headers: Self.auth, body: ByteBuffer(string: big))
            #expect(tooLarge.status == .contentTooLarge)
            #expect(try Self.json(tooLarge.body)["code"] == .integer(41301))

            let malformed = try await client.execute(uri: "/v1/widgets", method: .post, headers: Self.auth, body: ByteBuffer(string: "{\"name\":"))
            #expect(malformed.status == .badRequest)
            #expect(Self.details(try Self.json(malformed.body)).first?.hasPrefix("/body: invalid JSON") == true)

            let wrongMethod = try await client.execute(uri: "/v1/widgets", method: .put, headers: Self.auth)
            #expect(wrongMethod.status == .methodNotAllowed)
            #expect(wrongMethod.headers[.allow] == "GET, POST")
            #expect(try Self.json(wrongMethod.body)["code"] == .integer(40501))
            // Methods no route exists for at all are 405 on a known path too, and 404 elsewhere.
            for name in ["TRACE", "QUERY", "PROPFIND"] {
                let method = try #require(HTTPRequest.Method(name))
                let answer = try await client.execute(uri: "/v1/widgets", method: method, headers: Self.auth)
                #expect(answer.status == .methodNotAllowed, "\(name)")
                #expect(answer.headers[.allow] == "GET, POST", "\(name)")
                #expect(try Self.json(answer.body)["code"] == .integer(40501), "\(name)")
                let elsewhere = try await client.execute(uri: "/v2/nothing", method: method)
                #expect(elsewhere.status == .notFound, "\(name)")
            }

            let unknown = try await client.execute(uri: "/v2/nothing", method: .get)
            #expect(unknown.status == .notFound)
            #expect(try Self.json(unknown.body)["code"] == .integer(40401))
            #expect(unknown.headers[HTTPField.Name("X-Request-Id")!] != nil)
        }
    }

    @Test func rawUploadsAndDownloads() async throws {
        try await Self.application(maxBodyBytes: 64).test(.router) { client in
            let created = try await client.execute(
                uri: "/v1/widgets", method: .post, headers: Self.auth, body: ByteBuffer(string: #"{"name":"pic","color":"RED"}"#))
            guard case .object(let widget)? = try Self.json(created.body)["data"], case .string(let id)? = widget["id"] else {
                Issue.record("no widget id")
                return
            }
            var headers: HTTPFields = [.authorization: "Bearer good", .contentType: "image/png"]
            // Uploads have their own limit (the JSON limit here is 64 bytes).
            let png = ByteBuffer(bytes: [0x89, 0x50, 0x4E, 0x47] + [UInt8](repeating: 7, count: 200))
            let stored = try await client.execute(uri: "/v1/widgets/\(id)/picture", method: .put, headers: headers, body: png)
            #expect(stored.status == .noContent)
            let fetched = try await client.execute(uri: "/v1/widgets/\(id)/picture", method: .get, headers: headers)
            #expect(fetched.status == .ok)
            #expect(fetched.headers[.contentType] == "image/png")
            #expect(fetched.body == png)

            headers[.contentType] = "image/gif"
            let gif = try await client.execute(uri: "/v1/widgets/\(id)/picture", method: .put, headers: headers, body: ByteBuffer(string: "GIF89a"))
            #expect(gif.status == .unsupportedMediaType)
            #expect(try Self.details(Self.json(gif.body)) == ["/header/Content-Type: must be one of image/png, image/jpeg"])

            headers[.contentType] = "image/jpeg"
            let empty = try await client.execute(uri: "/v1/widgets/\(id)/picture", method: .put, headers: [.authorization: "Bearer good"])
            #expect(empty.status == .badRequest)
            #expect(try Self.details(Self.json(empty.body)) == ["/body: is required"])

            // A handler that answers with an undeclared media type breaks the contract: 500, not a silent pass.
            let disguised = try await client.execute(uri: "/v1/widgets/\(id)/picture", method: .put, headers: headers, body: ByteBuffer(string: "GIF89a-as-jpeg"))
            #expect(disguised.status == .noContent)
            let broken = try await client.execute(uri: "/v1/widgets/\(id)/picture", method: .get, headers: headers)
            #expect(broken.status == .internalServerError)
        }
    }

    @Test func servesTheContractAndDocs() async throws {
        try await Self.application().test(.router) { client in
            let spec = try await client.execute(uri: "/openapi.json", method: .get)
            let document = try Self.json(spec.body)
            #expect(document["openapi"] == .string("3.1.0"))
            guard case .object(let components)? = document["components"], case .object(let schemas)? = components["schemas"] else {
                Issue.record("no schemas")
                return
            }
            #expect(schemas["Widget"] != nil, "schemas from widgets.yaml are bundled into the root")
            let docs = try await client.execute(uri: "/docs", method: .get)
            let html = String(buffer: docs.body)
            #expect(html.contains("createWidget") && html.contains("40401"))
        }
    }

    @Test func dtoRoundTripsAndStrictDecoding() throws {
        let widget = Widget(
            id: UUID(uuidString: "6f1c1b2a-0000-4000-8000-000000000001")!, name: "a", color: .green, version: 3,
            createdAt: Date(timeIntervalSince1970: 0.25), note: nil, labels: ["k": "v"],
            shape: .polygon(Polygon(points: [Point(x: 0, y: 0), Point(x: 1, y: 0), Point(x: 0, y: 1)])),
            dimensions: .init(width: 2, height: 3))
        let data = try JSONEncoder().encode(widget)
        #expect(try JSONDecoder().decode(Widget.self, from: data) == widget)

        var issues = FieldIssues()
        let decoded = Widget(json: try JSONParser.parse(#"{"id":"x","name":"","color":"RED","version":0,"createdAt":"2026-01-01T00:00:00Z"}"#), at: .root, issues: &issues)
        #expect(decoded == nil)
        #expect(Set(issues.all.map(\.description)) == ["/id: must be a UUID", "/note: is required", "/name: must be at least 1 characters long", "/version: must be at least 1"])
        #expect(throws: ContractValidationError.self) { try JSONDecoder().decode(Color.self, from: Data("\"PINK\"".utf8)) }
    }

    @Test func rulesAcrossPropertiesAreChecked() throws {
        func issues(_ text: String) throws -> [String] {
            var issues = FieldIssues()
            let decoded = Delivery(json: try JSONParser.parse(text), at: .root, issues: &issues)
            #expect((decoded == nil) == !issues.all.isEmpty)
            return issues.all.map(\.description).sorted()
        }
        #expect(try issues(#"{"email":"a@example.com","at":"2026-01-01T00:00:00Z"}"#) == [])
        #expect(try issues(#"{"phone":"+4912","every":3,"express":false}"#) == [])
        #expect(try issues("{}") == ["/: needs email or phone", "/: needs exactly one of: at; every"])
        #expect(try issues(#"{"phone":"1","at":"2026-01-01T00:00:00Z","every":2}"#) == ["/: needs exactly one of: at; every"])
        #expect(try issues(#"{"email":"a@example.com","every":2,"express":true}"#) == ["/: cannot have every and express: true"])
        // A property that does not decode is reported once, not again as a broken rule.
        #expect(try issues(#"{"phone":"x y","at":"2026-01-01T00:00:00Z"}"#) == ["/phone: must match the pattern ^[0-9+]+$"])

        var built = FieldIssues()
        Delivery(phone: "1", every: 2, express: true).validate(at: .root, into: &built)
        #expect(built.all.map(\.description) == ["/: cannot have every and express: true"])
    }

    @Test func recursiveStructsAreBoxed() throws {
        let root = Category(name: "root")
        var child = Category(name: "child", parent: root, link: CategoryLink(target: root, weight: 1))
        child.children = [Category(name: "leaf")]
        let json = try JSONParser.parse(String(decoding: try JSONEncoder().encode(child), as: UTF8.self))
        #expect(json == (try JSONParser.parse(#"{"name":"child","parent":{"name":"root"},"link":{"target":{"name":"root"},"weight":1},"children":[{"name":"leaf"}]}"#)))
        let decoded = try Category.decode(json: json)
        #expect(decoded == child && decoded.parent?.name == "root" && decoded.link?.target.name == "root")

        var copy = decoded
        copy.parent?.name = "renamed"
        #expect(decoded.parent?.name == "root", "a write through the box does not reach other copies")

        var issues = FieldIssues()
        _ = Category(json: try JSONParser.parse(#"{"name":"a","parent":{"name":""},"link":{"target":{"name":"b","parent":{"name":""}},"weight":-1}}"#), at: .root, issues: &issues)
        #expect(Set(issues.all.map(\.description)) == [
            "/parent/name: must be at least 1 characters long", "/link/target/parent/name: must be at least 1 characters long",
            "/link/weight: must be at least 0",
        ])
    }

    @Test func fieldsNamedLikeGeneratedLocals() throws {
        let text = #"{"path":"/a","issues":2,"reader":"r","before":"2026-01-01T00:00:00Z","json":true,"writer":"w","key":"kk","value":1.5}"#
        let locator = try Locator.decode(json: try JSONParser.parse(text))
        #expect(locator.path == "/a" && locator.issues == 2 && locator.reader == "r" && locator.jsonValue == true)
        #expect(locator.writer == "w" && locator.key == "kk" && locator.value == 1.5)
        #expect(try Locator.decode(json: locator.json) == locator)

        var issues = FieldIssues()
        _ = Locator(json: try JSONParser.parse(#"{"path":"","issues":-1,"reader":"123456789","before":"soon","key":"k","value":11}"#), at: .root, issues: &issues)
        #expect(Set(issues.all.map(\.description)) == [
            "/path: must be at least 1 characters long", "/issues: must be at least 0", "/reader: must be at most 8 characters long",
            "/before: must be an RFC 3339 date-time", "/key: must be at least 2 characters long", "/value: must be at most 10",
        ])
        let built = Locator(path: "", issues: 0, reader: "r", before: Date(timeIntervalSince1970: 0))
        #expect(built.validationIssues().map(\.description) == ["/path: must be at least 1 characters long"])
    }
}
