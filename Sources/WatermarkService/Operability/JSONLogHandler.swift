import ContractRuntime
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
        var fields: [(String, JSONValue)] = [
            ("time", .string(time.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true)))),
            ("level", .string(level.rawValue)), ("logger", .string(label)), ("message", .string(message)),
        ]
        if !source.isEmpty { fields.append(("source", .string(source))) }
        for (key, value) in metadata.sorted(by: { $0.key < $1.key }) { fields.append((key, json(value))) }
        return JSONSerializer.string(.object(JSONObject(fields))) + "\n"
    }

    private static func json(_ value: Logger.Metadata.Value) -> JSONValue {
        switch value {
        case .string(let text): .string(text)
        case .stringConvertible(let value): .string(value.description)
        case .array(let values): .array(values.map(json))
        case .dictionary(let entries): .object(JSONObject(entries.sorted { $0.key < $1.key }.map { ($0.key, json($0.value)) }))
        }
    }
}
