import ContractRuntime
import FixtureAPI
import Foundation
import Testing

/// A required property that can have one value only (`kind: {enum: [CIRCLE]}` on the fixture's shapes) is not stored:
/// it is not passed to `init`, is always written, and decoding still refuses anything else.
@Suite struct ConstantPropertyTests {
    @Test func writtenWithoutBeingPassed() throws {
        let circle = Circle(center: Point(x: 1, y: 2), radius: 3)
        #expect(circle.kind == "CIRCLE")
        guard case .object(let object) = circle.json else { Issue.record("not an object: \(circle.json)"); return }
        #expect(object.keys == ["kind", "center", "radius"] && object["kind"] == .string("CIRCLE"))
        let shape = Shape.circle(circle)
        #expect(try Shape.decode(json: shape.json) == shape)
    }

    @Test func decodingRefusesAnotherValueOrNone() throws {
        var issues = FieldIssues()
        let wrong = Circle(json: try JSONParser.parse(#"{"kind":"POLYGON","center":{"x":1,"y":2},"radius":3}"#), at: .root, issues: &issues)
        #expect(wrong == nil)
        #expect(issues.all.map(\.description) == ["/kind: must be one of CIRCLE"])

        issues = FieldIssues()
        let missing = Circle(json: try JSONParser.parse(#"{"center":{"x":1,"y":2},"radius":0}"#), at: .root, issues: &issues)
        #expect(missing == nil)
        #expect(Set(issues.all.map(\.field)) == ["/kind", "/radius"])

        issues = FieldIssues()
        let mistyped = Circle(json: try JSONParser.parse(#"{"kind":7,"center":{"x":1,"y":2},"radius":3}"#), at: .root, issues: &issues)
        #expect(mistyped == nil)
        #expect(issues.all.map(\.field) == ["/kind"])
    }
}
