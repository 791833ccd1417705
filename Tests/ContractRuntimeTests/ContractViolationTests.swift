import ContractRuntime
import ContractTesting
import Testing

/// How a planned contract violation changes a valid request body.
@Suite("Contract violations applied to bodies")
struct ContractViolationTests {
    private func violation(_ change: ContractViolation.Change) -> ContractViolation {
        ContractViolation(operationID: "op", pathTemplate: "/v1/things", change: change, field: "/body", constraint: "test")
    }

    private let body = JSONValue.object(JSONObject([("name", .string("a")), ("tags", .array([.string("x")]))]))

    @Test func anEmptyPointerReplacesTheWholeBody() {
        #expect(violation(.setBody(pointer: "", value: .object(JSONObject([])))).applied(toBody: body) == .object(JSONObject([])))
        #expect(violation(.removeBody(pointer: "")).applied(toBody: body) == nil, "a body cannot be removed from itself")
        #expect(violation(.repeatBodyItem(pointer: "", count: 2)).applied(toBody: body) == nil, "the body is not an array")
    }

    @Test func pointersReachNestedPlaces() {
        #expect(violation(.setBody(pointer: "/name", value: .integer(1))).applied(toBody: body)
            == .object(JSONObject([("name", .integer(1)), ("tags", .array([.string("x")]))])))
        #expect(violation(.repeatBodyItem(pointer: "/tags", count: 3)).applied(toBody: body)
            == .object(JSONObject([("name", .string("a")), ("tags", .array([.string("x"), .string("x"), .string("x")]))])))
        #expect(violation(.setBody(pointer: "/missing/name", value: .null)).applied(toBody: body) == nil, "a missing parent")
    }
}
