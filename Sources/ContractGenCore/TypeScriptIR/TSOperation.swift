import Mustache

/// One operation of the TypeScript client: the method on `APIClient` (client.js, client.d.ts), its
/// input and response types, and the description the runtime sends it by (parameters, body,
/// declared answers and error codes).
struct TSOperation: Sendable, MustacheParent {
    var methodName: String
    /// PascalCase, for the names of its types (`CreateTaskInput`, `CreateTaskResponse`).
    var typeName: String
    var operationID: String
    var httpMethod: String
    var path: String
    var docLines: [String]
    var deprecated: Bool
    var sendsCredentials: Bool
    var parameters: [TSParameter]
    var body: TSBody?
    var responses: [TSResponse]
    var errorCodes: [Int]
    /// `x-event-schema`: the method returns the events, resuming with `Last-Event-ID`.
    var eventType: TSType?
    var eventDescriptor: TSDescriptor?

    /// Whether the caller may call it without an input object.
    var inputOptional: Bool {
        !parameters.contains { $0.required } && !(body?.required ?? false)
    }

    func child(named key: String) -> Any? {
        switch key {
        case "methodName": methodName
        case "typeName": typeName
        case "operationID": operationID
        case "httpMethod": httpMethod
        case "path": path
        case "docLines": docLines.isEmpty ? false : docLines
        case "deprecated": deprecated
        case "sendsCredentials": sendsCredentials
        case "parameters": parameters.isEmpty ? false : parameters
        case "body": body.map { $0 as Any } ?? false
        case "responses": responses
        case "errorCodes": errorCodes.isEmpty ? false : errorCodes
        case "noErrorCodes": errorCodes.isEmpty
        case "events": eventType != nil
        case "eventType": eventType.map { $0 as Any } ?? false
        case "eventDescriptor": eventDescriptor.map { $0 as Any } ?? false
        case "inputOptional": inputOptional
        default: nil
        }
    }
}

/// A path, query or header parameter: the input's property name, the key on the wire (a JSON
/// string literal), where it travels, and what it must be.
struct TSParameter: Sendable, MustacheParent {
    var name: String
    var key: String
    var location: String
    var required: Bool
    var type: TSType
    var descriptor: TSDescriptor
    var docLines: [String]

    func child(named key: String) -> Any? {
        switch key {
        case "name": name
        case "key": self.key
        case "location": location
        case "required": required
        case "type": type
        case "descriptor": descriptor
        case "docLines": docLines.isEmpty ? false : docLines
        default: nil
        }
    }
}

/// A request body: JSON (typed, checked before sending) or raw bytes of a declared media type.
struct TSBody: Sendable, MustacheParent {
    var required: Bool
    var raw: Bool
    /// A `multipart/form-data` body: sent as the caller's `FormData`.
    var form = false
    /// The media type sent (a JSON string literal).
    var contentType: String
    var type: TSType
    var descriptor: TSDescriptor?

    func child(named key: String) -> Any? {
        switch key {
        case "required": required
        case "raw": raw
        case "form": form
        case "contentType": contentType
        case "type": type
        case "descriptor": descriptor.map { $0 as Any } ?? false
        default: nil
        }
    }
}

/// A declared success answer: its status, how its body is read (`json`, `envelope` — the data of
/// `{code: 0, data}` —, `raw` or `none`) and the body's type.
struct TSResponse: Sendable, MustacheParent {
    var status: Int
    var reading: String
    var type: TSType
    var descriptor: TSDescriptor?

    func child(named key: String) -> Any? {
        switch key {
        case "status": status
        case "reading": reading
        case "type": type
        case "descriptor": descriptor.map { $0 as Any } ?? false
        default: nil
        }
    }
}

/// What the TypeScript files are rendered from: the contract's title and version (for comments), its schemas,
/// operations and error catalog.
struct TSClientModule: Sendable, MustacheParent {
    var title: String
    var version: String
    var schemas: [TSNamedSchema]
    var operations: [TSOperation]
    var errors: [TSErrorEntry]

    func child(named key: String) -> Any? {
        switch key {
        case "title": title
        case "version": version
        case "schemas": schemas
        case "operations": operations
        case "errors": errors
        default: nil
        }
    }
}
