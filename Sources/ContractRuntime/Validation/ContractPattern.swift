import Foundation

/// A compiled `pattern` keyword. JSON Schema patterns are unanchored ECMA-262 expressions;
/// ICU's syntax (NSRegularExpression) accepts the subset contracts use.
public final class ContractPattern: Sendable {
    public let source: String
    private let regex: NSRegularExpression?

    public init(_ source: String) {
        self.source = source
        self.regex = try? NSRegularExpression(pattern: source)
    }

    public func matches(_ text: String) -> Bool {
        guard let regex else { return false }
        let range = NSRange(text.startIndex..<text.endIndex, in: text)
        return regex.firstMatch(in: text, options: [], range: range) != nil
    }
}

