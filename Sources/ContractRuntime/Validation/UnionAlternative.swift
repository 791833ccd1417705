/// One alternative of a generated `oneOf`/`anyOf` union without a discriminator: how to read a value of the member
/// type and wrap it as the union's case. A generated union lists its alternatives as data and decodes through
/// `matching(_:at:issues:exclusive:)` instead of repeating the same attempt for every case.
public struct UnionAlternative<Union> {
    let attempt: (JSONValue, JSONPath, inout FieldIssues) -> Union?

    public init<Member: JSONConvertible>(_ member: Member.Type, _ wrap: @escaping (Member) -> Union) {
        attempt = { json, path, issues in Member(json: json, at: path, issues: &issues).map(wrap) }
    }

    /// The alternatives `json` fits without any issue: with `exclusive` (`oneOf`) exactly one, else (`anyOf`) the
    /// first. When none fits, the first issue of the attempts is reported at `path`.
    public static func matching(
        _ json: JSONValue, at path: JSONPath, issues: inout FieldIssues, exclusive: Bool, _ alternatives: [Self]
    ) -> Union? {
        var matches: [Union] = []
        var attempts = FieldIssues()
        for alternative in alternatives {
            var scratch = FieldIssues()
            if let value = alternative.attempt(json, path, &scratch), scratch.isEmpty {
                matches.append(value)
                if !exclusive { break }
            } else {
                attempts.append(contentsOf: scratch)
            }
        }
        guard let match = matches.first, !exclusive || matches.count == 1 else {
            issues.add(path, matches.isEmpty
                ? "matches none of the alternatives (\(attempts.all.first?.description ?? "no detail"))"
                : "matches more than one alternative of oneOf")
            return nil
        }
        return match
    }
}
