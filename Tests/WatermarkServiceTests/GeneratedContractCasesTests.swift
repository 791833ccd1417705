import ContractRuntime
import ContractTesting
import Foundation
import HummingbirdTesting
import Testing
import WatermarkAPI
import WatermarkContractCases
@testable import WatermarkService

/// Contract tests of every operation against the real service, on the valid request
/// `ContractEdgesTests` makes for it: that request answers a declared success (and the same key
/// again the same answer); the contract's own request example gets a declared answer; and each
/// negative case contractgen generates (`ContractCases.violations`) is 400 / 40001 with `details`
/// naming the broken field. Responses are validated against the contract throughout.
@Suite("watermark serve: generated contract cases")
struct GeneratedContractCasesTests {
    /// The operations of the served contract by operationId.
    static func operations() throws -> [String: JSONObject] {
        guard case .object(let document) = try JSONParser.parse(Contract.openAPIJSON), case .object(let paths)? = document["paths"] else { return [:] }
        var operations: [String: JSONObject] = [:]
        for case .object(let item) in paths.map(\.value) {
            for case .object(let operation) in item.map(\.value) {
                if case .string(let id)? = operation["operationId"] { operations[id] = operation }
            }
        }
        return operations
    }

    /// Every status each operation declares.
    static func declaredStatuses() throws -> [String: Set<Int>] {
        try operations().mapValues { operation in
            guard case .object(let responses)? = operation["responses"] else { return [] }
            return Set(responses.map(\.key).compactMap(Int.init))
        }
    }

    /// The success statuses each operation declares.
    static func declaredSuccesses() throws -> [String: Set<Int>] {
        try declaredStatuses().mapValues { $0.filter { (200..<400).contains($0) } }
    }

    /// Operations that succeed only on the S3 backend.
    static let objectStorageOnly: Set<String> = ["listUploadParts", "completeUpload"]

    @Test func everyOperationAnswersItsValidRequestWithADeclaredSuccess() async throws {
        let declared = try Self.declaredSuccesses()
        try await ContractEdgesTests.withFixture { client, fixture, _ in
            // Deletions after the calls that read what they delete; the two that end sessions last,
            // `logout` on a session of its own (from the `login` call).
            let enders = ["logout", "requestAccountDeletion"]
            let deletions = fixture.calls.filter { $0.method == .delete }
            let calls = fixture.calls.filter { $0.method != .delete && !enders.contains($0.operation) } + deletions
                + enders.compactMap { name in fixture.calls.first { $0.operation == name } }
            var ownSession: String?
            for call in calls {
                var token: String? = if case .bearer = call.credential { fixture.token } else { nil }
                if call.operation == "logout" { token = ownSession }
                let key = "positive-\(UUID())"
                let response = try await call.send(client, token: token, key: key)
                if call.operation == "login" { ownSession = try ServiceHarness.data(response, as: AuthSession.self).tokens.accessToken }
                // The same key and request again: the same answer (not for the two that end the session).
                if call.idempotent, !enders.contains(call.operation) {
                    let again = try await call.send(client, token: token, key: key)
                    let first = try? ServiceHarness.envelope(response)["data"], second = try? ServiceHarness.envelope(again)["data"]
                    #expect(again.status == response.status && first == second, "\(call.operation): replayed \(again.status) \(String(buffer: again.body).prefix(300))")
                }
                // Multipart uploads exist on object storage only: on this fixture's local storage the valid request is
                // 42201 (their successes are S3StorageTests' `videosGoInResumablePartsStraightToTheStore`, against moto).
                if Self.objectStorageOnly.contains(call.operation) {
                    #expect(try ServiceHarness.code(response) == 42201, "\(call.operation): \(response.status) \(String(buffer: response.body).prefix(300))")
                    continue
                }
                // Responses are validated against the contract (a body it does not allow is a 500).
                #expect(declared[call.operation]?.contains(Int(response.status.code)) == true,
                        "\(call.operation): \(response.status) \(String(buffer: response.body).prefix(300))")
            }
        }
    }

    /// The JSON request example of each operation that has one.
    static func requestExamples() throws -> [String: JSONValue] {
        try operations().compactMapValues { operation in
            guard case .object(let body)? = operation["requestBody"], case .object(let content)? = body["content"],
                  case .object(let json)? = content["application/json"] else { return nil }
            return json["example"]
        }
    }

    @Test func everyRequestExampleOfTheContractGetsADeclaredAnswer() async throws {
        let examples = try Self.requestExamples()
        let declared = try Self.declaredStatuses()
        let jsonBodies = try Self.operations().filter { _, operation in
            guard case .object(let body)? = operation["requestBody"], case .object(let content)? = body["content"] else { return false }
            return content["application/json"] != nil
        }
        #expect(Set(examples.keys) == Set(jsonBodies.keys), "every JSON request body has an example")
        try await ContractEdgesTests.withFixture { client, fixture, _ in
            for call in fixture.calls {
                guard let example = examples[call.operation] else { continue }
                let token: String? = if case .bearer = call.credential { fixture.token } else { nil }
                // The example's ids are placeholders: 404 (or 409, 422) is a fine answer, if declared.
                let response = try await call.send(client, token: token, json: JSONSerializer.string(example))
                let status = Int(response.status.code)
                #expect(status != 500 && declared[call.operation]?.contains(status) == true,
                        "\(call.operation) with its example: \(response.status) \(String(buffer: response.body).prefix(300))")
            }
        }
    }

    @Test func everyGeneratedViolationIs40001NamingItsField() async throws {
        let violations = ContractCases.violations
        #expect(violations.count > 400, "the contract has constraints on every operation")
        try await ContractEdgesTests.withFixture { client, fixture, _ in
            let calls = Dictionary(fixture.calls.map { ($0.operation, $0) }, uniquingKeysWith: { first, _ in first })
            var applied: [String: Int] = [:]
            var notApplicable: [String] = []
            for violation in violations {
                guard let call = calls[violation.operationID] else {
                    Issue.record("no valid request for \(violation.operationID) in ContractEdgesTests")
                    continue
                }
                let token: String? = if case .bearer = call.credential { fixture.token } else { nil }
                var response: TestResponse?
                switch violation.change {
                case .setBody, .removeBody, .repeatBodyItem:
                    guard let json = call.json, let body = violation.applied(toBody: try JSONParser.parse(Array(json.utf8))) else {
                        notApplicable.append(violation.description)
                        continue
                    }
                    response = try await call.send(client, token: token, json: JSONSerializer.string(body))
                case .setQuery, .removeQuery, .setPath:
                    guard let path = violation.applied(toPath: call.path) else {
                        notApplicable.append(violation.description)
                        continue
                    }
                    response = try await call.send(client, token: token, path: path)
                case .setHeader(let name, let value):
                    response = try await call.send(client, token: token, extra: [name: value])
                case .removeHeader(let name):
                    response = try await call.send(client, token: token, without: [name])
                }
                guard let response else { continue }
                applied[violation.operationID, default: 0] += 1
                let code = try? ServiceHarness.code(response)
                let details = (try? ServiceHarness.envelope(response)["details"]).flatMap { $0.map { JSONSerializer.string($0) } } ?? ""
                #expect(
                    response.status == .badRequest && code == 40001 && details.contains("\"\(violation.field)\""),
                    "\(violation): \(response.status) \(String(buffer: response.body))")
            }
            // Every operation with constraints had cases that applied to its valid request; the
            // rest change places that request does not have (an optional object it leaves out).
            #expect(Set(applied.keys) == Set(violations.map(\.operationID)))
            #expect(notApplicable.count < violations.count / 4, "\(notApplicable)")
            print("generated contract cases: \(applied.values.reduce(0, +)) sent over \(applied.count) operations, \(notApplicable.count) not applicable")
        }
    }
}
