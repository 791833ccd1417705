import ContractRuntime
import ContractServer
import Foundation
import HTTPTypes
import Testing

@Suite("Array query parameters")
struct QueryArrayTests {
    private func ids(_ query: [(name: String, value: String)], required: Bool = false) -> (values: [UUID]?, issues: [String]) {
        let parts = RequestParts(pathParameters: [:], query: query, headers: HTTPFields(), body: nil, principal: nil, requestID: "r")
        var issues = FieldIssues()
        let values = parts.queryArray("ids", as: UUID.self, required: required, expectation: "must be a UUID", issues: &issues)
        return (values, issues.all.map(\.description))
    }

    @Test func formStyleCommaSeparatedAndRepeated() {
        let a = UUID(), b = UUID()
        #expect(ids([("ids", "\(a),\(b)")]).values == [a, b])
        #expect(ids([("ids", "\(a)"), ("ids", "\(b)")]).values == [a, b])
    }

    @Test func anEmptyValueIsAnEmptyArrayNotAMissingOne() {
        #expect(ids([("ids", "")], required: true) == ([], []))
        #expect(ids([], required: true).issues == ["/query/ids: is required"])
        #expect(ids([]).values == nil)
    }

    @Test func eachBadItemIsNamed() {
        #expect(ids([("ids", "\(UUID()),nope,")]).issues == ["/query/ids/1: must be a UUID", "/query/ids/2: must be a UUID"])
    }
}
