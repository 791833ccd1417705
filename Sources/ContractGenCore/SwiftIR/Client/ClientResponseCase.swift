import Mustache

/// A declared success of an operation as the client reads it: a case of its `Response`.
struct ClientResponseCase: Sendable {
    enum Reading: String, Sendable, CaseIterable {
        /// No body (or the envelope's `data: null`).
        case empty
        /// JSON decoded as `payload` (from the envelope's `data` when `envelope`).
        case json
        /// JSON that may be `null` (`payload` is optional).
        case nullableJSON
        /// Bytes and their media type.
        case raw
    }
    var name: String
    var status: Int
    var docLines: [String]
    var payload: SwiftType?
    var reading: Reading
    var envelope: Bool
}

extension ClientResponseCase: MustacheParent {
    func child(named key: String) -> Any? {
        if let reading = Reading(rawValue: key) { return self.reading == reading }
        switch key {
        case "name": return name
        case "status": return status
        case "docLines": return docLines
        case "payload": return payload.map { $0 as Any } ?? false
        case "hasPayload": return payload != nil
        case "decodedType": return payload.map { $0.unwrapped as Any } ?? false
        case "envelope": return envelope
        default: return nil
        }
    }
}
