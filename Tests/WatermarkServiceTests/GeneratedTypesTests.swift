import ContractRuntime
import Testing
import WatermarkAPI

/// Constraints of the generated request types that no single property carries.
@Suite("Generated request types")
struct GeneratedTypesTests {
    /// `UpdatePlanRequest` has `minProperties: 1`: an empty update is refused when decoded (every
    /// key counts, even one a default would fill) and when a built value is validated.
    @Test func anEmptyUpdateBreaksMinProperties() {
        var issues = FieldIssues()
        #expect(UpdatePlanRequest(json: .object(JSONObject()), at: .root.appending("body"), issues: &issues) == nil)
        #expect(issues.all.map(\.description) == ["/body: must have at least 1 property"])

        issues = FieldIssues()
        UpdatePlanRequest().validate(at: .root.appending("body"), into: &issues)
        #expect(issues.all.map(\.description) == ["/body: must have at least 1 property"])

        issues = FieldIssues()
        let update = UpdatePlanRequest(json: .object(JSONObject([("active", .bool(false))])), at: .root.appending("body"), issues: &issues)
        #expect(update?.active == false && issues.all.isEmpty)
        update?.validate(at: .root.appending("body"), into: &issues)
        #expect(issues.all.isEmpty)
    }
}
