import ContractRuntime
import Testing

/// Form fields read as the types their schema gives them, and written back so that they read the same.
@Suite struct FormReaderTests {
    enum Shade: String, ContractStringEnum {
        case light = "LIGHT"
        case dark = "DARK"
    }

    static let parts = [
        FormPart(name: "count", text: "12"),
        FormPart(name: "label", text: "12"),
        FormPart(name: "draft", text: "true"),
        FormPart(name: "shade", text: "DARK"),
        FormPart(name: "tags[]", text: "a"),
        FormPart(name: "tags[]", text: "b"),
        FormPart(name: "meta", text: #"{"k":1}"#, contentType: "application/json"),
        FormPart(name: "file", filename: "x.bin", contentType: "application/octet-stream", bytes: [0, 1, 2]),
    ]

    @Test func textIsReadAsItsSchemasTypeAndFilesAsFiles() {
        var issues = FieldIssues()
        let reader = FormReader(Self.parts, at: .root.appending("body"))
        #expect(reader.required("count", as: Int.self, issues: &issues) == 12)
        #expect(reader.required("label", as: String.self, issues: &issues) == "12")
        #expect(reader.optional("draft", as: Bool.self, issues: &issues) == true)
        #expect(reader.required("shade", as: Shade.self, issues: &issues) == .dark)
        #expect(reader.optional("tags", as: [String].self, issues: &issues) == ["a", "b"])
        #expect(reader.optional("meta", as: [String: Int].self, issues: &issues) == ["k": 1])
        #expect(reader.required("file", as: FormFile.self, issues: &issues) == FormFile(filename: "x.bin", contentType: "application/octet-stream", bytes: [0, 1, 2]))
        #expect(reader.optional("absent", as: [FormFile].self, issues: &issues) == nil)
        reader.rejectUnknownNames(["count", "label", "draft", "shade", "tags", "meta", "file"], issues: &issues)
        #expect(issues.isEmpty)
    }

    @Test func whatDoesNotFitIsAnIssueAtItsField() {
        var issues = FieldIssues()
        let reader = FormReader(Self.parts, at: .root.appending("body"))
        #expect(reader.required("shade", as: Int.self, issues: &issues) == nil)
        #expect(reader.required("label", as: Shade.self, issues: &issues) == nil)
        #expect(reader.required("missing", as: FormFile.self, issues: &issues) == nil)
        #expect(reader.required("count", as: FormFile.self, issues: &issues) != nil, "a text part is still a part with bytes")
        reader.rejectUnknownNames(["count"], issues: &issues)
        #expect(issues.all.map(\.field).prefix(3) == ["/body/shade", "/body/label", "/body/missing"])
        #expect(issues.all.first { $0.field == "/body/label" }?.reason == "must be one of LIGHT, DARK")
        #expect(issues.all.contains { $0.field == "/body/tags[]" && $0.reason == "is not a field of this form" })
    }

    @Test func writtenPartsReadBackTheSame() {
        var writer = FormWriter()
        writer.set("count", 12)
        writer.set("label", "12")
        writer.set("shade", Shade.light)
        writer.set("tags", ["a", "b"])
        writer.setIfPresent("meta", ["k": 1])
        writer.setIfPresent("note", String?.none)
        writer.set("file", FormFile(bytes: [9]))
        #expect(writer.parts.map(\.name) == ["count", "label", "shade", "tags", "tags", "meta", "file"])
        #expect(writer.parts.first { $0.name == "meta" }?.contentType == "application/json")
        var issues = FieldIssues()
        let reader = FormReader(writer.parts, at: .root)
        #expect(reader.required("count", as: Int.self, issues: &issues) == 12)
        #expect(reader.required("label", as: String.self, issues: &issues) == "12")
        #expect(reader.required("shade", as: Shade.self, issues: &issues) == .light)
        #expect(reader.required("tags", as: [String].self, issues: &issues) == ["a", "b"])
        #expect(reader.required("meta", as: [String: Int].self, issues: &issues) == ["k": 1])
        #expect(reader.required("file", as: FormFile.self, issues: &issues)?.bytes == [9])
        #expect(issues.isEmpty)
    }
}
