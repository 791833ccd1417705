import ContractRuntime
import ContractTesting
import FixtureAPI
import FixtureContractCases
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// The negative contract cases contractgen generates for the fixture contract (another team's
/// API, as far as the generator knows), run against the fixture handlers: each is 400 naming its field.
@Suite("Generated contract cases of the fixture contract")
struct FixtureContractCasesTests {
    /// A valid request per operation.
    static let valid: [String: (method: HTTPRequest.Method, path: String, body: String?)] = {
        let id = "6f1c1b2a-0000-4000-8000-000000000001"
        return [
            "listWidgets": (.get, "/v1/widgets?limit=5&color=RED", nil),
            "createWidget": (.post, "/v1/widgets", #"{"name":"gear-9","color":"RED","tags":["a","b"],"homepage":"https://example.com/gear","priority":4,"weight":5,"note":"n","shape":{"kind":"CIRCLE","center":{"x":1,"y":2},"radius":5}}"#),
            "getWidget": (.get, "/v1/widgets/\(id)", nil),
            "deleteWidget": (.delete, "/v1/widgets/\(id)", nil),
            "uploadWidgetPicture": (.put, "/v1/widgets/\(id)/picture", nil),
            "downloadWidgetPicture": (.get, "/v1/widgets/\(id)/picture", nil),
        ]
    }()

    @Test func everyCaseIs400NamingItsField() async throws {
        let violations = ContractCases.violations
        #expect(Set(violations.map(\.operationID)).isSubset(of: Set(Self.valid.keys)))
        try await GeneratedRoutesTests.application().test(.router) { client in
            var sent = 0
            for violation in violations {
                let request = try #require(Self.valid[violation.operationID])
                var headers = GeneratedRoutesTests.auth
                var path = request.path
                var body = request.body
                switch violation.change {
                case .setBody, .removeBody, .repeatBodyItem:
                    guard let json = body, let changed = violation.applied(toBody: try JSONParser.parse(json)) else { continue }
                    body = JSONSerializer.string(changed)
                case .setQuery, .removeQuery, .setPath:
                    guard let changed = violation.applied(toPath: path) else { continue }
                    path = changed
                case .setHeader(let name, let value):
                    headers[HTTPField.Name(name)!] = value
                case .removeHeader(let name):
                    headers[HTTPField.Name(name)!] = nil
                }
                if request.method == .put { headers[.contentType] = "image/png" }
                let response = try await client.execute(uri: path, method: request.method, headers: headers, body: body.map { ByteBuffer(string: $0) })
                sent += 1
                let details = GeneratedRoutesTests.details(try GeneratedRoutesTests.json(response.body))
                #expect(response.status == .badRequest && details.contains { $0.hasPrefix(violation.field + ":") }, "\(violation): \(response.status) \(details)")
            }
            #expect(sent > 20)
        }
    }
}
