import Yams

/// Renders the bundled YAML tree as JSON text (document order, 2-space indentation).
///
/// Written into a byte buffer: OpenAI's 3 MB description renders to 4 MB of JSON on every
/// load, and appending bytes is several times faster than appending small `String`s.
struct JSONRendering {
    private var output: [UInt8] = []
    /// Integral numbers beyond Int64 (`maximum: 9223372036854776000`, valid JSON) are written as
    /// Int64's bounds, for decoders that read integer keywords as `Int`.
    private let clampingIntegers: Bool
    /// Whether an integral number beyond Int64 was written.
    private(set) var sawLargeInteger = false

    private init(clampingIntegers: Bool) {
        self.clampingIntegers = clampingIntegers
        output.reserveCapacity(256 * 1024)
    }

    static func render(_ node: Node, clampingIntegers: Bool = false) -> String {
        renderNotingLargeIntegers(node, clampingIntegers: clampingIntegers).text
    }

    /// The JSON text, and whether it holds an integral number beyond Int64.
    static func renderNotingLargeIntegers(_ node: Node, clampingIntegers: Bool = false) -> (text: String, hasLargeIntegers: Bool) {
        var renderer = JSONRendering(clampingIntegers: clampingIntegers)
        renderer.write(node, indent: 0)
        renderer.append("\n")
        return (String(decoding: renderer.output, as: UTF8.self), renderer.sawLargeInteger)
    }

    private mutating func write(_ node: Node, indent: Int) {
        switch node {
        case .mapping:
            let pairs = node.pairs
            if pairs.isEmpty { return append("{}") }
            append("{\n")
            for (index, pair) in pairs.enumerated() {
                appendIndent(indent + 1)
                writeString(pair.key)
                append(": ")
                write(pair.value, indent: indent + 1)
                append(index == pairs.count - 1 ? "\n" : ",\n")
            }
            appendIndent(indent)
            append("}")
        case .sequence:
            let elements = node.elements
            if elements.isEmpty { return append("[]") }
            append("[\n")
            for (index, element) in elements.enumerated() {
                appendIndent(indent + 1)
                write(element, indent: indent + 1)
                append(index == elements.count - 1 ? "\n" : ",\n")
            }
            appendIndent(indent)
            append("]")
        default:
            switch node.literal {
            case .null: append("null")
            case .bool(let value): append(value ? "true" : "false")
            case .integer(let value): append(String(value))
            case .number(let value) where value.rounded() == value && abs(value) >= 0x1p63:
                sawLargeInteger = true
                append(clampingIntegers ? (value > 0 ? String(Int64.max) : String(Int64.min)) : "\(value)")
            case .number(let value): append(value.isFinite ? "\(value)" : "null")
            case .string(let value): writeString(value)
            default: append("null")
            }
        }
    }

    private mutating func append(_ text: String) {
        output.append(contentsOf: text.utf8)
    }

    private mutating func appendIndent(_ depth: Int) {
        output.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * depth))
    }

    /// A JSON string literal: quotes, backslashes and control characters escaped.
    private mutating func writeString(_ text: String) {
        output.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): append("\\\"")
            case UInt8(ascii: "\\"): append("\\\\")
            case UInt8(ascii: "\n"): append("\\n")
            case UInt8(ascii: "\r"): append("\\r")
            case UInt8(ascii: "\t"): append("\\t")
            case 0..<0x20:
                let hex = String(byte, radix: 16)
                append("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
            default:
                output.append(byte)
            }
        }
        output.append(UInt8(ascii: "\""))
    }
}
