import Yams

/// Renders the bundled YAML tree as JSON text (document order, 2-space indentation).
enum JSONRendering {
    /// `clampingIntegers`: integral numbers beyond Int64 (`maximum: 9223372036854776000`, valid
    /// JSON) are written as Int64's bounds, for decoders that read integer keywords as `Int`.
    static func render(_ node: Node, clampingIntegers: Bool = false) -> String {
        var output = ""
        output.reserveCapacity(64 * 1024)
        write(node, into: &output, indent: 0, clamping: clampingIntegers)
        output.append("\n")
        return output
    }

    private static func write(_ node: Node, into output: inout String, indent: Int, clamping: Bool) {
        switch node {
        case .mapping:
            let pairs = node.pairs
            if pairs.isEmpty { output.append("{}"); return }
            output.append("{\n")
            for (index, pair) in pairs.enumerated() {
                output.append(String(repeating: "  ", count: indent + 1))
                writeString(pair.key, into: &output)
                output.append(": ")
                write(pair.value, into: &output, indent: indent + 1, clamping: clamping)
                output.append(index == pairs.count - 1 ? "\n" : ",\n")
            }
            output.append(String(repeating: "  ", count: indent) + "}")
        case .sequence:
            let elements = node.elements
            if elements.isEmpty { output.append("[]"); return }
            output.append("[\n")
            for (index, element) in elements.enumerated() {
                output.append(String(repeating: "  ", count: indent + 1))
                write(element, into: &output, indent: indent + 1, clamping: clamping)
                output.append(index == elements.count - 1 ? "\n" : ",\n")
            }
            output.append(String(repeating: "  ", count: indent) + "]")
        default:
            switch node.literal {
            case .null: output.append("null")
            case .bool(let value): output.append(value ? "true" : "false")
            case .integer(let value): output.append(String(value))
            case .number(let value) where clamping && value.rounded() == value && abs(value) >= 0x1p63:
                output.append(value > 0 ? String(Int64.max) : String(Int64.min))
            case .number(let value): output.append(value.isFinite ? "\(value)" : "null")
            case .string(let value): writeString(value, into: &output)
            default: output.append("null")
            }
        }
    }

    static func writeString(_ text: String, into output: inout String) {
        output.append("\"")
        // Most strings need no escaping: append them whole.
        if !text.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            output.append(text)
            output.append("\"")
            return
        }
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output.append("\\\"")
            case "\\": output.append("\\\\")
            case "\n": output.append("\\n")
            case "\r": output.append("\\r")
            case "\t": output.append("\\t")
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    output.append("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        output.append("\"")
    }
}
