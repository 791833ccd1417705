import Mustache

/// A catalog error an operation declares: a factory of its `Failure` type.
struct DeclaredFailure: Sendable, MustacheParent {
    var name: String
    /// The `ErrorCode` case it is made from.
    var caseName: String
    var code: Int
    var docLines: [String]
    /// The catalog entry carries field `details`.
    var takesDetails: Bool

    func child(named key: String) -> Any? {
        switch key {
        case "name": name
        case "caseName": caseName
        case "code": code
        case "docLines": docLines
        case "takesDetails": takesDetails
        default: nil
        }
    }
}
