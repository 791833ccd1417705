import ContractRuntime
import Testing

@Suite("JSON parser and serializer")
struct JSONParserTests {
    @Test func parsesAndKeepsIntegersExact() throws {
        let value = try JSONParser.parse(#"{"a": 9007199254740993, "b": 1.5, "c": [true, null, "x\u00e9"], "d": {}}"#)
        guard case .object(let object) = value else { Issue.record("not an object"); return }
        #expect(object["a"] == .integer(9_007_199_254_740_993))
        #expect(object["b"] == .number(1.5))
        #expect(object["c"] == .array([.bool(true), .null, .string("xé")]))
        #expect(object.keys == ["a", "b", "c", "d"])
    }

    @Test(arguments: [
        ("{\"a\": 1,}", "expected a string key"), ("[1 2]", "expected ',' or ']'"), ("{\"a\":1,\"a\":2}", "duplicate key 'a'"),
        ("\"abc", "unterminated string"), ("01", "unexpected data after the document"), ("", "unexpected end of input"),
    ])
    func rejectsMalformedDocuments(text: String, reason: String) {
        #expect(throws: JSONParser.SyntaxError.self) { try JSONParser.parse(text) }
        do {
            _ = try JSONParser.parse(text)
        } catch {
            #expect(error.reason == reason)
        }
    }

    @Test func refusesDeepNesting() {
        let deep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
        #expect(throws: JSONParser.SyntaxError.self) { try JSONParser.parse(deep) }
    }

    @Test func serializesInOrderAndEscapes() {
        let value = JSONValue.object(JSONObject([("z", .integer(1)), ("a", .string("q\"\n")), ("n", .number(2.5))]))
        #expect(JSONSerializer.string(value) == #"{"z":1,"a":"q\"\n","n":2.5}"#)
    }
}

@Suite("RFC 3339 date-times")
struct DateTimeTests {
    @Test func roundTripsWithMilliseconds() throws {
        let date = try #require(DateTime.parse("2026-11-24T12:34:56.789Z"))
        #expect(DateTime.format(date) == "2026-11-24T12:34:56.789Z")
        #expect(date.timeIntervalSince1970 == 1_795_523_696.789)
    }

    @Test func appliesOffsets() throws {
        let shifted = try #require(DateTime.parse("2026-11-24T20:00:00+08:00"))
        #expect(DateTime.format(shifted) == "2026-11-24T12:00:00.000Z")
    }

    @Test(arguments: ["2026-02-30T00:00:00Z", "2026-11-24 12:00:00Z", "2026-11-24T12:00:00", "2026-13-01T00:00:00Z", "yesterday"])
    func rejectsInvalid(text: String) {
        #expect(DateTime.parse(text) == nil)
    }
}
