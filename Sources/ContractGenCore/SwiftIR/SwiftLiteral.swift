/// Swift literal tokens of constants from the contract (numbers, absent bounds, raw strings):
/// the only Swift text the IR holds besides identifiers, string literals (`SwiftNaming.literal`)
/// and type names. Statements are written by the templates alone.
enum SwiftLiteral {
    /// An optional bound: the number, or `nil`.
    static func optional(_ value: Int?) -> String {
        value.map(String.init) ?? "nil"
    }

    /// An integral `Double` as an `Int64` literal, clamped to Int64's range (a bound beyond it
    /// cannot exclude any Int64; contracts such as OpenAI's state such bounds).
    static func int64(_ value: Double) -> String {
        if value >= 9_223_372_036_854_775_808.0 { return "Int64.max" }
        if value <= -9_223_372_036_854_775_808.0 { return "Int64.min" }
        return String(Int64(value))
    }

    /// A `Double` literal (`5.0`, `0.25`).
    static func double(_ value: Double) -> String {
        value.rounded() == value && abs(value) < 1e15 ? "\(Int64(value)).0" : "\(value)"
    }

    /// `#"..."#` (or a multi-line `#"""` literal) with enough hashes for the text.
    static func raw(_ text: String) -> String {
        // One more `#` than the longest run of `#` after a quote or backslash in the text.
        var longest = 0
        var run = -1
        var multiline = false
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): run = 0
            case UInt8(ascii: "#") where run >= 0: run += 1; longest = max(longest, run)
            default:
                if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") { multiline = true }
                run = -1
            }
        }
        let hashes = String(repeating: "#", count: longest + 1)
        if multiline {
            let body = text.hasSuffix("\n") ? String(text.dropLast()) : text
            return hashes + "\"\"\"\n" + body + "\n\"\"\"" + hashes
        }
        return hashes + "\"" + text + "\"" + hashes
    }
}
