import ContractRuntime
import Testing

/// Generated values are equal when their JSON is: what a client and a server exchange, not how a value was built.
@Suite struct ContractEqualityTests {
    enum Colour: String, ContractStringEnum {
        case red = "RED"
        case blue = "BLUE"
    }

    /// A value shaped as generated code shapes one: named properties and unnamed ones in a dictionary.
    struct Label: ContractCodable {
        var text: String
        var colour: Colour?
        var extra: [String: Int]

        init(text: String, colour: Colour? = nil, extra: [String: Int] = [:]) {
            self.text = text
            self.colour = colour
            self.extra = extra
        }

        init?(json: JSONValue, at path: JSONPath, issues: inout FieldIssues) {
            guard let reader = JSONObjectReader(json, at: path, issues: &issues) else { return nil }
            guard let text = reader.required("text", as: String.self, issues: &issues) else { return nil }
            var extra: [String: Int] = [:]
            for key in reader.additionalKeys(excluding: ["text", "colour"]) {
                if case .integer(let value) = reader.object[key] { extra[key] = Int(value) }
            }
            self.init(text: text, colour: reader.optional("colour", as: Colour.self, issues: &issues), extra: extra)
        }

        var json: JSONValue {
            var writer = JSONObjectWriter()
            writer.set("text", text)
            writer.setIfPresent("colour", colour)
            for key in extra.keys.sorted(by: >) { writer.set(key, extra[key]!) }
            return writer.json
        }
    }

    @Test func valuesWithTheSameJSONAreEqualAndHashAlike() throws {
        var ascending: [String: Int] = [:]
        for index in 0..<50 { ascending["k\(index)"] = index }
        var descending: [String: Int] = [:]
        for index in (0..<50).reversed() { descending["k\(index)"] = index }
        let built = Label(text: "hello", colour: .red, extra: ascending)
        let other = Label(text: "hello", colour: .red, extra: descending)
        #expect(built == other)
        #expect(Set([built, other]).count == 1)

        // Parsed from a document whose keys come in another order: the same value.
        var issues = FieldIssues()
        let parsed = try #require(Label(json: .object(JSONObject([("k1", .integer(1)), ("colour", .string("RED")), ("text", .string("hello")), ("k0", .integer(0))])), at: .root, issues: &issues))
        #expect(parsed == Label(text: "hello", colour: .red, extra: ["k0": 0, "k1": 1]))
        #expect(parsed.hashValue == Label(text: "hello", colour: .red, extra: ["k1": 1, "k0": 0]).hashValue)
    }

    @Test func anyDifferenceOnTheWireMakesThemUnequal() {
        let plain = Label(text: "hello")
        #expect(plain != Label(text: "Hello"))
        #expect(plain != Label(text: "hello", colour: .red), "an absent property is not a present one")
        #expect(Label(text: "hello", colour: .red) != Label(text: "hello", colour: .blue))
        #expect(plain != Label(text: "hello", extra: ["k": 0]))
        #expect(Set([plain, Label(text: "hello", colour: .red), Label(text: "hello", colour: .blue)]).count == 3)
    }

    @Test func enumsCompareByTheirValues() {
        #expect(Colour.red == Colour(rawValue: "RED"))
        #expect(Colour.red != .blue)
        #expect(Set(Colour.allCases + Colour.allCases).count == 2)
    }
}
