/// One API operation in the language-neutral model.
public struct OperationModel: Sendable, Hashable {
    public var operationID: String
    public var method: String
    public var path: String
    public var summary: String?
    public var description: String?
    public var tag: String
    public var deprecated: Bool
    public var parameters: [ParameterModel]
    public var requestBody: RequestBodyModel?
    public var responses: [ResponseModel]
    /// Alternatives of scheme names; `[]` = public, `nil` never (resolved against the root default).
    public var security: [[SecurityUse]]
    /// `x-roles`.
    public var roles: [String]
    /// Whether `security` is written on the operation or at the document's root (so an empty
    /// list is a deliberate "public", not an omission).
    public var declaresSecurity = true
    /// `x-idempotency-key`: where in the request the idempotency key travels when it is not the
    /// `Idempotency-Key` header (provider callbacks), as a JSON pointer such as `/body/eventId`.
    public var idempotencyKeyPointer: String?
    /// `x-event-schema`: the schema of each event's `data` when the operation answers server-sent events.
    public var eventSchema: SchemaModel?
    public var location: SourceLocation?
    public var sourceFile: String

    public init(
        operationID: String, method: String, path: String, summary: String?, description: String?, tag: String,
        deprecated: Bool, parameters: [ParameterModel], requestBody: RequestBodyModel?, responses: [ResponseModel],
        security: [[SecurityUse]], roles: [String], location: SourceLocation?, sourceFile: String
    ) {
        self.operationID = operationID
        self.method = method
        self.path = path
        self.summary = summary
        self.description = description
        self.tag = tag
        self.deprecated = deprecated
        self.parameters = parameters
        self.requestBody = requestBody
        self.responses = responses
        self.security = security
        self.roles = roles
        self.location = location
        self.sourceFile = sourceFile
    }

    /// The error catalog codes the operation declares (from `x-error-codes` of its responses).
    public var declaredErrorCodes: [Int] {
        Array(Set(responses.flatMap(\.errorCodes))).sorted()
    }
}

/// A use of a security scheme by an operation, with its scopes.
public struct SecurityUse: Sendable, Hashable {
    public var scheme: String
    public var scopes: [String]

    public init(scheme: String, scopes: [String]) {
        self.scheme = scheme
        self.scopes = scopes
    }
}

/// A path, query, header or cookie parameter.
public struct ParameterModel: Sendable, Hashable {
    /// Where a parameter travels.
    public enum Location: String, Sendable, Hashable {
        case path, query, header, cookie
    }

    public var name: String
    public var location: Location
    public var required: Bool
    public var description: String?
    public var schema: SchemaModel
    public var deprecated: Bool

    public init(name: String, location: Location, required: Bool, description: String?, schema: SchemaModel, deprecated: Bool) {
        self.name = name
        self.location = location
        self.required = required
        self.description = description
        self.schema = schema
        self.deprecated = deprecated
    }
}

/// A request body: its media types and JSON schema, or raw bytes (uploads) when no media type is JSON.
public struct RequestBodyModel: Sendable, Hashable {
    public var required: Bool
    public var description: String?
    public var contentTypes: [String]
    /// The schema of the JSON media type, if there is one (of `multipart/form-data` for a form).
    public var schema: SchemaModel?
    /// No media type is JSON: the handler receives the bytes and their media type.
    public var isRaw: Bool
    /// The only media type is `multipart/form-data`: the handler receives the form's fields, files as `FormFile`.
    public var isForm: Bool
    /// `x-raw-bytes: true` on a JSON body: the handler also receives the bytes exactly as they
    /// arrived (to check a signature over them).
    public var keepsBytes: Bool

    public init(
        required: Bool, description: String?, contentTypes: [String], schema: SchemaModel?, isRaw: Bool = false, isForm: Bool = false,
        keepsBytes: Bool = false
    ) {
        self.required = required
        self.isForm = isForm
        self.description = description
        self.contentTypes = contentTypes
        self.schema = schema
        self.isRaw = isRaw
        self.keepsBytes = keepsBytes
    }
}

/// One declared response.
public struct ResponseModel: Sendable, Hashable {
    /// The body a response carries.
    public enum Payload: Sendable, Hashable {
        case none
        /// `{code: 0, message, requestId, data}`: the handler returns `data`.
        case envelope(data: SchemaModel)
        case json(SchemaModel)
        /// Other media types (files, event streams): the handler returns raw bytes (and, when
        /// several types are declared, which one they are).
        case raw(contentTypes: [String])
    }

    /// `200`, `404`, … or `default`.
    public var status: String
    public var description: String
    public var payload: Payload
    /// `x-error-codes`: catalog codes this response carries.
    public var errorCodes: [Int]

    public init(status: String, description: String, payload: Payload, errorCodes: [Int]) {
        self.status = status
        self.description = description
        self.payload = payload
        self.errorCodes = errorCodes
    }

    public var isSuccess: Bool { status.hasPrefix("2") }
}
