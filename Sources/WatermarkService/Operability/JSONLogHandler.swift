import Foundation
import Logging

/// swift-log lines as JSON objects, one per line on standard error: `time`, `level`, `logger`,
/// `message`, then the metadata (the request id as `request_id`), so log collectors need no parser.
public struct JSONLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String

    public init(label: String, level: Logger.Level = .info, metadataProvider: Logger.MetadataProvider? = nil) {
        self.label = label
        self.logLevel = level
        self.metadataProvider = metadataProvider
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        FileHandle.standardError.write(Data(Self.line(
            label: label, level: event.level, message: event.message.description,
            metadata: metadata.merging(metadataProvider?.get() ?? [:]) { _, new in new }.merging(event.metadata ?? [:]) { _, new in new },
            source: event.source, time: Date()).utf8))
    }

    /// One JSON line (with its newline); keys after the fixed ones in sorted order.
    static func line(label: String, level: Logger.Level, message: String, metadata: Logger.Metadata, source: String, time: Date) -> String {
        var fields: [(String, String)] = [
            ("time", quoted(time.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true)))),
            ("level", quoted(level.rawValue)), ("logger", quoted(label)), ("message", quoted(message)),
        ]
        if !source.isEmpty { fields.append(("source", quoted(source))) }
        for (key, value) in metadata.sorted(by: { $0.key < $1.key }) { fields.append((key, json(value))) }
        return "{" + fields.map { "\(quoted($0.0)):\($0.1)" }.joined(separator: ",") + "}\n"
    }

    private static func json(_ value: Logger.Metadata.Value) -> String {
        switch value {
        case .string(let text): quoted(text)
        case .stringConvertible(let value): quoted(value.description)
        case .array(let values): "[" + values.map(json).joined(separator: ",") + "]"
        case .dictionary(let entries): "{" + entries.sorted { $0.key < $1.key }.map { "\(quoted($0.key)):\(json($0.value))" }.joined(separator: ",") + "}"
        }
    }

    private static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case let control where control.value < 0x20: result += String(format: "\\u%04x", control.value)
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
