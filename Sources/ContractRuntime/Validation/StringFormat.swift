import Foundation

/// The string `format`s validated at run time (the others map to Swift types: `uuid` → UUID,
/// `date-time` → Date).
public enum StringFormat: String, Sendable, CaseIterable {
    case email
    case uri
    case date
    case hostname
    case ipv4
    case ipv6
    case byte

    public func accepts(_ value: String) -> Bool {
        switch self {
        case .email: return Self.isEmail(value)
        case .uri: return Self.isURI(value)
        case .date: return DateTime.parse(value + "T00:00:00Z") != nil && value.utf8.count == 10
        case .hostname: return Self.isHostname(value)
        case .ipv4: return Self.isIPv4(value)
        case .ipv6: return value.contains(":") && value.allSatisfy { $0.isHexDigit || $0 == ":" || $0 == "." }
        case .byte: return Data(base64Encoded: value) != nil
        }
    }

    /// A pragmatic RFC 5321 check: one `@`, a non-empty local part without spaces or control
    /// characters, a dotted domain.
    private static func isEmail(_ value: String) -> Bool {
        let parts = value.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, let local = parts.first, let domain = parts.last,
              !local.isEmpty, local.utf8.count <= 64, value.utf8.count <= 254
        else { return false }
        guard !local.contains(where: { $0.isWhitespace || Self.isControl($0) || $0 == "," || $0 == "<" || $0 == ">" }) else { return false }
        return domain.contains(".") && isHostname(String(domain))
    }

    private static func isURI(_ value: String) -> Bool {
        guard let colon = value.firstIndex(of: ":"), colon != value.startIndex else { return false }
        let scheme = value[..<colon]
        guard let first = scheme.first, first.isLetter,
              scheme.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == "." })
        else { return false }
        guard !value.contains(where: { $0.isWhitespace || Self.isControl($0) }) else { return false }
        return URL(string: value) != nil
    }

    /// C0 controls (NUL among them) and DEL: never part of an address.
    private static func isControl(_ character: Character) -> Bool {
        character.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }
    }

    private static func isHostname(_ value: String) -> Bool {
        guard !value.isEmpty, value.utf8.count <= 253 else { return false }
        return value.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { label in
            !label.isEmpty && label.utf8.count <= 63 && !label.hasPrefix("-") && !label.hasSuffix("-")
                && label.allSatisfy { ($0.isLetter || $0.isNumber || $0 == "-") && $0.isASCII }
        }
    }

    private static func isIPv4(_ value: String) -> Bool {
        let parts = value.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { part in
            guard !part.isEmpty, part.count <= 3, let number = Int(part), number <= 255 else { return false }
            return part == "0" || !part.hasPrefix("0")
        }
    }
}
