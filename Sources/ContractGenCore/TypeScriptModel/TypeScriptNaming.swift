import Foundation

/// Names and literal tokens of the TypeScript client: member names from contract names, JSON
/// string literals (valid in JavaScript), and object keys quoted only when they are not names.
enum TypeScriptNaming {
    /// The name client.d.ts imports types.d.ts as.
    static let typesModule = "types"

    /// `Idempotency-Key` → `idempotencyKey`, `createTask` → `createTask`.
    static func memberName(_ text: String) -> String {
        let name = SwiftNaming.words(text).enumerated().map { index, word in
            let lower = word.allSatisfy({ $0.isUppercase || $0.isNumber }) ? word.lowercased() : word
            return index == 0 ? lower.prefix(1).lowercased() + lower.dropFirst() : lower.prefix(1).uppercased() + lower.dropFirst()
        }.joined()
        guard let first = name.first else { return "value" }
        return first.isNumber ? "_" + name : name
    }

    /// A property key as written in a type: the name itself when it is an identifier, else a string literal.
    static func propertyKey(_ name: String) -> String {
        let isIdentifier = name.first.map { $0.isLetter || $0 == "_" || $0 == "$" } == true
            && name.allSatisfy { ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "$") && $0.isASCII }
        return isIdentifier ? name : string(name)
    }

    /// Text for a line comment: one line.
    static func commentText(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).joined(separator: " ")
    }

    /// A JSON (and JavaScript) string literal.
    static func string(_ text: String) -> String {
        json(text)
    }

    /// `value` as JSON text, keys sorted (so output is stable).
    static func json(_ value: Any) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed, .sortedKeys, .withoutEscapingSlashes])) ?? Data("null".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
