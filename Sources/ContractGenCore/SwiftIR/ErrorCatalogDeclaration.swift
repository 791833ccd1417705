import Mustache

/// The `ErrorCode` enum of the error catalog: each entry's code, name, HTTP status and messages,
/// and the entries the runtime answers with itself. Rendered by `errors.mustache`.
struct ErrorCatalogDeclaration: Sendable {
    /// One catalog entry.
    struct Entry: Sendable, MustacheParent {
        /// A message in one language; both as string literals.
        struct Message: Sendable, MustacheParent {
            var language: String
            var text: String
            func child(named name: String) -> Any? {
                switch name {
                case "language": language
                case "text": text
                default: nil
                }
            }
        }
        var name: String
        var code: Int
        var httpStatus: Int
        /// The entry's name as a string literal.
        var symbol: String
        var messages: [Message]
        var docLines: [String]
        func child(named key: String) -> Any? {
            switch key {
            case "name": name
            case "code": code
            case "http": httpStatus
            case "symbol": symbol
            case "messages": messages
            case "docLines": docLines
            default: nil
            }
        }
    }

    /// A slot of the runtime's `StandardErrors` and the entry that fills it.
    struct Slot: Sendable, MustacheParent {
        var slot: String
        var name: String
        func child(named key: String) -> Any? {
            switch key {
            case "slot": slot
            case "name": name
            default: nil
            }
        }
    }

    var access: String
    var entries: [Entry]
    var slots: [Slot]
}

extension ErrorCatalogDeclaration: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "access": access
        case "entries": entries
        case "slots": slots
        default: nil
        }
    }
}
