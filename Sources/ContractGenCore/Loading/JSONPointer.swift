import Foundation

/// An RFC 6901 JSON pointer into a contract document, kept as unescaped reference tokens.
public struct JSONPointer: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var tokens: [String]

    public init(_ tokens: [String] = []) {
        self.tokens = tokens
    }

    /// Parses `/a/b~1c`; a leading `#` (URI fragment form) is accepted.
    public init(parsing text: String) {
        var body = Substring(text)
        if body.utf8.first == UInt8(ascii: "#") { body = body.dropFirst() }
        let decoded = body.utf8.contains(UInt8(ascii: "%")) ? (String(body).removingPercentEncoding ?? String(body)) : String(body)
        tokens = decoded.isEmpty ? [] : decoded.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).dropFirst().map { bytes in
            let token = Substring(bytes)
            return token.utf8.contains(UInt8(ascii: "~"))
                ? token.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~") : String(token)
        }
    }

    public static let root = JSONPointer()

    public func appending(_ token: String) -> JSONPointer {
        JSONPointer(tokens + [token])
    }

    public func appending(_ index: Int) -> JSONPointer {
        appending(String(index))
    }

    public var parent: JSONPointer? {
        tokens.isEmpty ? nil : JSONPointer(Array(tokens.dropLast()))
    }

    public var last: String? { tokens.last }

    public func hasPrefix(_ other: JSONPointer) -> Bool {
        tokens.count >= other.tokens.count && Array(tokens.prefix(other.tokens.count)) == other.tokens
    }

    /// `/a/b~1c`
    public var description: String {
        var text = ""
        for token in tokens {
            text.append("/")
            text.append(Self.escape(token))
        }
        return text
    }

    public static func escape(_ token: String) -> String {
        guard token.utf8.contains(where: { $0 == UInt8(ascii: "~") || $0 == UInt8(ascii: "/") }) else { return token }
        return token.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }

    public static func < (lhs: JSONPointer, rhs: JSONPointer) -> Bool {
        lhs.tokens.lexicographicallyPrecedes(rhs.tokens)
    }
}
