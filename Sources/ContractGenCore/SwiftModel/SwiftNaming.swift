/// Swift identifiers for contract names: camel-cased, keyword-safe, never clashing with the
/// standard library or the runtime types generated code uses.
enum SwiftNaming {
    static let keywords: Set<String> = [
        "associatedtype", "class", "deinit", "enum", "extension", "fileprivate", "func", "import", "init", "inout", "internal",
        "let", "open", "operator", "private", "precedencegroup", "protocol", "public", "rethrows", "static", "struct",
        "subscript", "typealias", "var", "break", "case", "catch", "continue", "default", "defer", "do", "else",
        "fallthrough", "for", "guard", "if", "in", "repeat", "return", "throw", "switch", "where", "while", "Any", "as",
        "await", "false", "is", "nil", "self", "Self", "super", "throws", "true", "try", "async", "some", "any",
    ]

    /// Type names generated code must not shadow.
    static let reservedTypes: Set<String> = [
        "Task", "Error", "Type", "Protocol", "Data", "Date", "URL", "UUID", "Result", "Never", "String", "Int", "Int32",
        "Int64", "Double", "Float", "Bool", "Array", "Dictionary", "Set", "Optional", "Character", "Void", "Codable",
        "Decoder", "Encoder", "Sendable", "Hashable", "Equatable", "Identifiable", "Operations", "Contract", "ErrorCode",
        "JSONValue", "JSONObject", "JSONPath", "FieldIssue", "FieldIssues", "Nullable", "Check", "Principal", "Request",
        "Response", "Router", "Context", "Input", "Output", "Failure", "Body", "Locale", "Decimal", "Range", "Duration",
        "Logger", "Collection", "Sequence", "Element", "Key", "Value", "Object", "Unit",
    ]

    static func words(_ text: String) -> [String] {
        var words: [String] = []
        var current = ""
        var previous: Character?
        for character in text {
            if !(character.isLetter || character.isNumber) || !character.isASCII {
                if !current.isEmpty { words.append(current) }
                current = ""
            } else if character.isUppercase, let previous, previous.isLowercase || previous.isNumber {
                if !current.isEmpty { words.append(current) }
                current = String(character)
            } else {
                current.append(character)
            }
            previous = character
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    /// `task_status` → `TaskStatus`; reserved names get a `Model` suffix.
    /// `avoidingReserved: false` for a name that only ever appears with a suffix (`TaskRow`).
    static func typeName(_ text: String, avoidingReserved: Bool = true) -> String {
        var name = words(text).map { word in
            word.allSatisfy(\.isUppercase) && word.count > 1 && !word.allSatisfy(\.isNumber)
                ? word.prefix(1) + word.dropFirst().lowercased() : word.prefix(1).uppercased() + word.dropFirst()
        }.joined()
        if name.isEmpty { name = "Unnamed" }
        if name.first!.isNumber { name = "_" + name }
        if avoidingReserved, reservedTypes.contains(name) { name += "Model" }
        return name
    }

    /// `Idempotency-Key` → `idempotencyKey`, `UPLOADED` → `uploaded`.
    static func memberName(_ text: String) -> String {
        let parts = words(text)
        var name = parts.enumerated().map { index, word in
            let lower = word.allSatisfy({ $0.isUppercase || $0.isNumber }) ? word.lowercased() : word
            return index == 0 ? lower.prefix(1).lowercased() + lower.dropFirst() : lower.prefix(1).uppercased() + lower.dropFirst()
        }.joined()
        if name.isEmpty { name = "value" }
        if name.first!.isNumber { name = "_" + name }
        // `self`, `Type` and `init` cannot be members even in backticks (`self.`self`` is the
        // instance itself); they get a suffix, like reserved type names.
        if ["self", "Self", "init", "Type", "Protocol"].contains(name) { return name + "Value" }
        return keywords.contains(name) ? "`\(name)`" : name
    }

    /// A Swift string literal.
    static func literal(_ text: String) -> String {
        var output = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            default:
                if scalar.value < 0x20 { output += "\\u{\(String(scalar.value, radix: 16))}" } else { output.unicodeScalars.append(scalar) }
            }
        }
        return output + "\""
    }

    /// The lines of a description for a doc comment (the templates write `///`), empty when there is none.
    static func docLines(_ text: String?) -> [String] {
        guard let text, !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return [] }
        return text.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
    }
}

import Foundation
