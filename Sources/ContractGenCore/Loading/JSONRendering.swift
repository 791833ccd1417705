import Yams

/// Renders the bundled YAML tree as JSON text (document order; 2-space indentation, or none for the copy
/// compiled into the generated code).
///
/// Written into a byte buffer: OpenAI's 3 MB description renders to 4 MB of JSON on every
/// load, and appending bytes is several times faster than appending small `String`s.
struct JSONRendering {
    /// What the JSON is for.
    enum Purpose {
        /// The contract as published (`/openapi.json`, `contractgen bundle`): every value as written.
        case publication
        /// The input of OpenAPIKit's structure check, which reads integer keywords as `Int` and
        /// decodes every extension value: integral numbers beyond Int64 (`maximum:
        /// 9223372036854776000`, valid JSON) are written as Int64's bounds, and the values of
        /// `x-` extensions (OpenAI's carry whole code samples) as `true` — OpenAPI allows any
        /// value there, so the structure is the same.
        case structureCheck
    }

    /// Keys whose mapping is keyed by names the contract chooses (properties, headers, media
    /// types, components…), where a key starting with `x-` is a name, not an extension.
    private static let namedEntryKeys: Set<String> = [
        "properties", "patternProperties", "$defs", "definitions", "dependentSchemas", "headers", "paths", "webhooks",
        "callbacks", "links", "examples", "encoding", "content", "variables", "scopes", "mapping", "schemas", "responses",
        "parameters", "requestBodies", "securitySchemes", "pathItems", "security",
    ]

    private var output: [UInt8] = []
    private let purpose: Purpose
    /// Without line breaks and indentation: OpenAI's description is 85,000 lines of Swift string literal indented,
    /// one line without.
    private let compact: Bool

    private init(purpose: Purpose, compact: Bool) {
        self.purpose = purpose
        self.compact = compact
        output.reserveCapacity(256 * 1024)
    }

    static func render(_ node: Node, for purpose: Purpose = .publication, compact: Bool = false) -> String {
        var renderer = JSONRendering(purpose: purpose, compact: compact)
        renderer.write(node, indent: 0, keysAreNames: false)
        renderer.append("\n")
        return String(decoding: renderer.output, as: UTF8.self)
    }

    private mutating func write(_ node: Node, indent: Int, keysAreNames: Bool) {
        switch node {
        case .mapping:
            let pairs = node.pairs
            if pairs.isEmpty { return append("{}") }
            append(compact ? "{" : "{\n")
            for (index, pair) in pairs.enumerated() {
                appendIndent(indent + 1)
                writeString(pair.key)
                append(compact ? ":" : ": ")
                if purpose == .structureCheck, !keysAreNames, pair.key.hasPrefix("x-") {
                    append("true")
                } else {
                    write(pair.value, indent: indent + 1, keysAreNames: Self.namedEntryKeys.contains(pair.key))
                }
                appendSeparator(last: index == pairs.count - 1)
            }
            appendIndent(indent)
            append("}")
        case .sequence:
            let elements = node.elements
            if elements.isEmpty { return append("[]") }
            append(compact ? "[" : "[\n")
            for (index, element) in elements.enumerated() {
                appendIndent(indent + 1)
                // Security requirements (a list) are keyed by scheme names.
                write(element, indent: indent + 1, keysAreNames: keysAreNames)
                appendSeparator(last: index == elements.count - 1)
            }
            appendIndent(indent)
            append("]")
        default:
            switch node.literal {
            case .null: append("null")
            case .bool(let value): append(value ? "true" : "false")
            case .integer(let value): append(String(value))
            case .number(let value) where purpose == .structureCheck && value.rounded() == value && abs(value) >= 0x1p63:
                append(value > 0 ? String(Int64.max) : String(Int64.min))
            case .number(let value): append(value.isFinite ? "\(value)" : "null")
            case .string(let value): writeString(value)
            default: append("null")
            }
        }
    }

    private mutating func append(_ text: String) {
        output.append(contentsOf: text.utf8)
    }

    private mutating func appendSeparator(last: Bool) {
        if compact {
            if !last { append(",") }
        } else {
            append(last ? "\n" : ",\n")
        }
    }

    private mutating func appendIndent(_ depth: Int) {
        guard !compact else { return }
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
