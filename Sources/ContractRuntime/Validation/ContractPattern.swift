import Foundation

/// A compiled `pattern` keyword. JSON Schema patterns are unanchored ECMA-262 expressions;
/// ICU's syntax (NSRegularExpression) accepts the subset contracts use. The commonest form, one
/// anchored ASCII character class with a count (`^[A-Za-z0-9._:-]+$`, `^[0-9a-f]{64}$`), is
/// matched on the UTF-8 bytes instead: it is checked on most requests (ids, keys, digests).
public final class ContractPattern: Sendable {
    public let source: String
    private let regex: NSRegularExpression?
    private let simple: AnchoredClass?

    public init(_ source: String) {
        self.source = source
        self.regex = try? NSRegularExpression(pattern: Self.icuSyntax(source))
        self.simple = regex == nil ? nil : AnchoredClass(source)
    }

    /// ECMA-262's `$` (no multiline flag) is the end of the input; ICU's also matches before a
    /// final line break, so each `$` outside a class and not escaped becomes `\z`.
    static func icuSyntax(_ source: String) -> String {
        var result = ""
        var inClass = false
        var escaped = false
        for character in source {
            if escaped {
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if inClass {
                if character == "]" { inClass = false }
            } else if character == "[" {
                inClass = true
            } else if character == "$" {
                result += "\\z"
                continue
            }
            result.append(character)
        }
        return result
    }

    public func matches(_ text: String) -> Bool {
        if let simple { return simple.matches(text) }
        guard let regex else { return false }
        let range = NSRange(text.startIndex..<text.endIndex, in: text)
        return regex.firstMatch(in: text, options: [], range: range) != nil
    }
}

/// `^[class]{min,max}$` (also `+`, `*`, `{n}`, `?`) over ASCII characters and ranges, without
/// escapes or negation; nil for any other pattern.
struct AnchoredClass: Sendable {
    let allowed: [Bool]
    let minimum: Int
    let maximum: Int

    init?(_ source: String) {
        let bytes = Array(source.utf8)
        guard bytes.count >= 5, bytes[0] == UInt8(ascii: "^"), bytes[1] == UInt8(ascii: "["), bytes.last == UInt8(ascii: "$"),
              let close = bytes.firstIndex(of: UInt8(ascii: "]")), close > 2, bytes[2] != UInt8(ascii: "^") else { return nil }
        let members = Array(bytes[2..<close])
        guard members.allSatisfy({ $0 >= 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\\") && $0 != UInt8(ascii: "[") }) else { return nil }
        var allowed = [Bool](repeating: false, count: 128)
        var index = 0
        while index < members.count {
            // `a-z` is a range unless the dash is first or last.
            if index + 2 < members.count, members[index + 1] == UInt8(ascii: "-") {
                guard members[index] <= members[index + 2] else { return nil }
                for byte in members[index]...members[index + 2] { allowed[Int(byte)] = true }
                index += 3
            } else {
                allowed[Int(members[index])] = true
                index += 1
            }
        }
        let quantifier = String(decoding: bytes[(close + 1)..<(bytes.count - 1)], as: UTF8.self)
        switch quantifier {
        case "": (minimum, maximum) = (1, 1)
        case "+": (minimum, maximum) = (1, .max)
        case "*": (minimum, maximum) = (0, .max)
        case "?": (minimum, maximum) = (0, 1)
        default:
            guard quantifier.hasPrefix("{"), quantifier.hasSuffix("}") else { return nil }
            let bounds = quantifier.dropFirst().dropLast().split(separator: ",", omittingEmptySubsequences: false)
            guard let low = bounds.first.flatMap({ Int($0) }), bounds.count <= 2 else { return nil }
            if bounds.count == 1 {
                (minimum, maximum) = (low, low)
            } else if bounds[1].isEmpty {
                (minimum, maximum) = (low, .max)
            } else {
                guard let high = Int(bounds[1]), high >= low else { return nil }
                (minimum, maximum) = (low, high)
            }
        }
        self.allowed = allowed
    }

    func matches(_ text: String) -> Bool {
        // Every allowed character is one ASCII byte, so bytes count characters.
        let bytes = text.utf8
        guard bytes.count >= minimum, bytes.count <= maximum else { return false }
        return bytes.allSatisfy { $0 < 0x80 && allowed[Int($0)] }
    }
}
