import Mustache

/// Where a generated check reports an issue, as data: the value being decoded (`path`) or the
/// request's root, followed by keys and loop variables. Rendered by `inline-json-path.mustache`.
struct JSONPathExpression: Sendable {
    /// Whether the path starts at the request's root (parameters) rather than at the decoded value.
    var fromRoot: Bool
    /// Each segment a key literal (`"name"`) or the name of a loop variable (`index0`).
    var segments: [String]

    /// The path of the value being decoded or validated.
    static let current = JSONPathExpression(fromRoot: false, segments: [])

    func appending(_ segment: String) -> JSONPathExpression {
        JSONPathExpression(fromRoot: fromRoot, segments: segments + [segment])
    }
}

extension JSONPathExpression: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "fromRoot": fromRoot
        case "segments": segments
        default: nil
        }
    }
}
