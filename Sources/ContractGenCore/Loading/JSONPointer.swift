/// An RFC 6901 JSON pointer into a contract document, kept as unescaped reference tokens.
public struct JSONPointer: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var tokens: [String]

    public init(_ tokens: [String] = []) {
        self.tokens = tokens
    }

    /// Parses `/a/b~1c`; a leading `#` (URI fragment form) is accepted.
    public init(parsing text: String) {
        var body = Substring(text)
        if body.hasPrefix("#") { body = body.dropFirst() }
        let decoded = body.removingPercentEncodingIfPossible
        tokens = decoded.isEmpty ? [] : decoded.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map {
            $0.contains("~") ? $0.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~") : String($0)
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
        tokens.map { "/" + Self.escape($0) }.joined()
    }

    public static func escape(_ token: String) -> String {
        token.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }

    public static func < (lhs: JSONPointer, rhs: JSONPointer) -> Bool {
        lhs.tokens.lexicographicallyPrecedes(rhs.tokens)
    }
}

import Foundation

extension Substring {
    fileprivate var removingPercentEncodingIfPossible: String {
        contains("%") ? (String(self).removingPercentEncoding ?? String(self)) : String(self)
    }
}
