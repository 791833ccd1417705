import ContractRuntime
import Foundation
import WatermarkAPI

/// The audit log as a file: newline-delimited JSON (one `AuditLog` per line) or CSV with a header
/// row (fields quoted when they hold a comma, quote or line break; `detail` as compact JSON).
enum AuditLogExport {
    /// The most entries one export holds.
    static let maximumRows = 100_000

    static func ndjson(_ entries: [AuditLog]) -> [UInt8] {
        var bytes: [UInt8] = []
        for entry in entries {
            bytes += JSONSerializer.serialize(entry.json)
            bytes.append(UInt8(ascii: "\n"))
        }
        return bytes
    }

    static func csv(_ entries: [AuditLog]) -> [UInt8] {
        var text = "id,actorId,action,targetType,targetId,detail,requestId,createdAt\r\n"
        for entry in entries {
            let detail = String(decoding: JSONSerializer.serialize(JSONValue.object(JSONObject(entry.detail.sorted { $0.key < $1.key }))), as: UTF8.self)
            let fields = [
                String(entry.id), entry.actorId?.uuidString.lowercased() ?? "", entry.action, entry.targetType, entry.targetId, detail,
                entry.requestId ?? "", DateTime.format(entry.createdAt),
            ]
            text += fields.map(quoted).joined(separator: ",") + "\r\n"
        }
        return Array(text.utf8)
    }

    /// RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled.
    static func quoted(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
