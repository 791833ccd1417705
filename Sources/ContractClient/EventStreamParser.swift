/// Splits a `text/event-stream` into events (WHATWG server-sent events): `id:`, `event:` and `data:`
/// fields, an empty line ends an event, `:` lines are comments. Bytes may arrive in any chunks.
struct EventStreamParser {
    /// A complete event's fields, `data` lines joined by line breaks.
    struct Fields: Equatable {
        var id: String?
        var name: String?
        var data: String
    }

    private var pending: [UInt8] = []
    private var id: String?
    private var name: String?
    private var data: [String] = []

    /// The events completed by `chunk`.
    mutating func feed(_ chunk: [UInt8]) -> [Fields] {
        pending += chunk
        var events: [Fields] = []
        while let end = pending.firstIndex(of: UInt8(ascii: "\n")) {
            var line = Array(pending[..<end])
            pending.removeSubrange(...end)
            if line.last == UInt8(ascii: "\r") { line.removeLast() }
            if line.isEmpty {
                if !data.isEmpty { events.append(Fields(id: id, name: name, data: data.joined(separator: "\n"))) }
                name = nil
                data = []
                continue
            }
            if line.first == UInt8(ascii: ":") { continue }
            let text = String(decoding: line, as: UTF8.self)
            let field: Substring
            var value: Substring
            if let colon = text.firstIndex(of: ":") {
                field = text[..<colon]
                value = text[text.index(after: colon)...]
                if value.first == " " { value = value.dropFirst() }
            } else {
                field = text[...]
                value = ""
            }
            switch field {
            case "id": id = String(value)
            case "event": name = String(value)
            case "data": data.append(String(value))
            default: break
            }
        }
        return events
    }
}
