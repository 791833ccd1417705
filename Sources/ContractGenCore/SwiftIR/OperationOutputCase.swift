import Mustache

/// One declared success response of an operation: a case of its `Output` and how it becomes a response.
struct OperationOutputCase: Sendable {
    /// How the case's value is answered.
    enum Answer: String, Sendable, CaseIterable {
        /// No body.
        case empty
        /// The envelope with `data: null`.
        case nullEnvelope
        /// A generated type, validated on the way out when asked (`validate`).
        case validatedJSON
        /// Any other JSON value (`nullable` ones as `null` when absent).
        case json
        /// Bytes of the one declared media type (`contentTypes[0]`).
        case raw
        /// Bytes of one of several declared media types, which the handler names.
        case rawChoice
    }

    var name: String
    var status: Int
    var docLines: [String]
    /// The case's associated type, when it has one.
    var payload: SwiftType?
    var answer: Answer
    /// JSON inside the `{code, message, requestId, data}` envelope.
    var envelope: Bool
    var nullable: Bool
    /// The declared media types, as string literals.
    var contentTypes: [String]
}

extension OperationOutputCase: MustacheParent {
    func child(named key: String) -> Any? {
        if let answer = Answer(rawValue: key) { return self.answer == answer }
        switch key {
        case "name": return name
        case "status": return status
        case "docLines": return docLines
        case "payload": return payload.map { $0 as Any } ?? false
        case "hasPayload": return payload != nil
        case "envelope": return envelope
        case "nullable": return nullable
        case "contentTypes": return contentTypes
        case "contentType": return contentTypes.first ?? ""
        default: return nil
        }
    }
}
