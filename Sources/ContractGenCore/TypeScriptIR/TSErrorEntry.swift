import Mustache

/// One entry of the error catalog in the TypeScript client: code, symbolic name, HTTP status and
/// the message in each language (JSON string literals).
struct TSErrorEntry: Sendable, MustacheParent {
    var code: Int
    var name: String
    var httpStatus: Int
    var messages: [TSMessage]

    func child(named key: String) -> Any? {
        switch key {
        case "code": code
        case "name": name
        case "httpStatus": httpStatus
        case "messages": messages
        default: nil
        }
    }
}

/// A catalog message in one language: the language tag and the text, as JSON string literals.
struct TSMessage: Sendable, MustacheParent {
    var language: String
    var text: String

    func child(named key: String) -> Any? {
        switch key {
        case "language": language
        case "text": text
        default: nil
        }
    }
}
