import ContractRuntime
import Foundation
import Testing

@Suite("Constraint checks")
struct CheckTests {
    private func issues(_ body: (inout FieldIssues) -> Void) -> [String] {
        var issues = FieldIssues()
        body(&issues)
        return issues.all.map(\.description)
    }

    @Test func stringLengthCountsUnicodeScalars() {
        #expect(issues { Check.length("你好", min: 2, max: 2, at: .root.appending("n"), into: &$0) }.isEmpty)
        #expect(issues { Check.length("a", min: 2, max: 4, at: .root.appending("n"), into: &$0) } == ["/n: must be at least 2 characters long"])
        #expect(issues { Check.length("abcde", min: 2, max: 4, at: .root.appending("n"), into: &$0) } == ["/n: must be at most 4 characters long"])
    }

    @Test func patternsAreUnanchoredECMAStyle() {
        let pattern = ContractPattern("^[a-z][a-z0-9-]*$")
        #expect(pattern.matches("widget-1"))
        #expect(!pattern.matches("Widget"))
        #expect(issues { Check.pattern("9", pattern, at: .root.appending("p"), into: &$0) } == ["/p: must match the pattern ^[a-z][a-z0-9-]*$"])
    }

    /// Single-class patterns take a byte-matching shortcut; it must agree with the regex engine
    /// (both with ECMA-262's `$`: the end of the input, not before a final line break).
    @Test(arguments: [
        "^[A-Za-z0-9._:-]+$", "^[0-9a-f]{64}$", "^[A-Z]{3}$", "^[a-z_]+$", "^[A-Za-z0-9_-]+$", "^[a-c]{2,4}$", "^[x-]*$", "^[a]?$",
        "^[^a]+$", "^[\\w]+$", "^[a-z][a-z0-9]*$",
    ])
    func singleClassPatternsAgreeWithTheRegexEngine(source: String) throws {
        let regex = try NSRegularExpression(pattern: source.replacingOccurrences(of: "$", with: "\\z"))
        let pattern = ContractPattern(source)
        let samples = ["", "a", "A", "abc", "ABC", "aaaa", "aaaaa", "req-7f3a9c2e", "a b", "a/b", "x-", "-", "é", "日本", "a\n",
                       String(repeating: "f", count: 64), String(repeating: "f", count: 63), String(repeating: "0", count: 65), "evt_1:2.3"]
        for text in samples {
            let expected = regex.firstMatch(in: text, range: NSRange(text.startIndex..<text.endIndex, in: text)) != nil
            #expect(pattern.matches(text) == expected, "\(source) on \(text.debugDescription)")
        }
    }

    @Test func dollarIsTheEndOfTheInput() {
        #expect(!ContractPattern("^[a-z]+$").matches("abc\n"))
        #expect(!ContractPattern("^\\S(.*\\S)?$").matches("Ada\n"))
        #expect(ContractPattern("^\\S(.*\\S)?$").matches("Ada Lovelace"))
        #expect(ContractPattern("^[$]+$").matches("$$"))
        #expect(ContractPattern("^a\\$$").matches("a$"))
    }

    @Test func numericBoundsAndMultiples() {
        #expect(issues { Check.range(0, minimum: 1, maximum: 100, at: .root, into: &$0) } == ["/: must be at least 1"])
        #expect(issues { Check.range(101, minimum: 1, maximum: 100, at: .root, into: &$0) } == ["/: must be at most 100"])
        #expect(issues { Check.range(0.0, exclusiveMinimum: 0.0, at: .root, into: &$0) } == ["/: must be greater than 0"])
        #expect(issues { Check.multiple(3, of: 2, at: .root, into: &$0) } == ["/: must be a multiple of 2"])
        #expect(issues { Check.multiple(0.3, of: 0.1, at: .root, into: &$0) }.isEmpty)
    }

    @Test func arraysAndObjects() {
        #expect(issues { Check.items([1], min: 2, max: nil, at: .root, into: &$0) } == ["/: must have at least 2 items"])
        #expect(issues { Check.unique(["a", "b", "a"], at: .root, into: &$0) } == ["/2: duplicates an earlier item; items must be unique"])
        #expect(issues { Check.properties(count: 9, min: nil, max: 8, at: .root, into: &$0) } == ["/: must have at most 8 properties"])
    }

    @Test(arguments: [
        (StringFormat.email, "a@example.com", true), (.email, "not-an-email", false), (.email, "a@b", false),
        (.uri, "https://example.com/x?y=1", true), (.uri, "example.com", false), (.ipv4, "10.0.0.1", true), (.ipv4, "10.0.0.256", false),
        (.date, "2026-11-24", true), (.date, "2026-11-31", false), (.hostname, "api.example.com", true), (.hostname, "-bad.com", false),
    ])
    func formats(format: StringFormat, value: String, valid: Bool) {
        #expect(format.accepts(value) == valid)
    }

    @Test func languagePreferenceFollowsQuality() {
        let preference = LanguagePreference(acceptLanguage: "en;q=0.5, zh-CN, fr;q=0")
        #expect(preference.tags == ["zh-CN", "en"])
        let descriptor = ErrorDescriptor(code: 40001, name: "INVALID_ARGUMENT", httpStatus: 400, messages: ["en": "Invalid.", "zh-CN": "不合法。"])
        #expect(descriptor.message(for: preference) == "不合法。")
        #expect(descriptor.message(for: LanguagePreference(acceptLanguage: "zh")) == "不合法。")
        #expect(descriptor.message(for: LanguagePreference(acceptLanguage: "de")) == "Invalid.")
    }
}
