import ContractRuntime

/// What a generated client sends through: the server's base URL, the transport, the middlewares
/// every request passes (outermost first), and how answers are read.
public struct ContractClient: Sendable {
    public var baseURL: String
    public var transport: any ClientTransport
    public var middlewares: [any ClientMiddleware]
    /// Check every answer's body against the contract as well (a development switch): a body that
    /// breaks it is `ContractClientError.invalidResponse`.
    public var validatesResponses: Bool
    /// Sent as `Accept-Language`: the language of error messages (`zh-CN`, `en`).
    public var language: String?

    public init(
        baseURL: String, transport: any ClientTransport = AsyncHTTPClientTransport(), middlewares: [any ClientMiddleware] = [],
        validatesResponses: Bool = false, language: String? = nil
    ) {
        self.baseURL = baseURL
        self.transport = transport
        self.middlewares = middlewares
        self.validatesResponses = validatesResponses
        self.language = language
    }

    /// Sends `request` through the middlewares and the transport.
    public func send(_ request: ClientRequest) async throws -> ClientResponse {
        var request = request
        if let language, request.header("Accept-Language") == nil { request.setHeader("Accept-Language", language) }
        return try await Self.run(request, through: middlewares[...], transport: transport, baseURL: baseURL)
    }

    private static func run(
        _ request: ClientRequest, through middlewares: ArraySlice<any ClientMiddleware>, transport: any ClientTransport, baseURL: String
    ) async throws -> ClientResponse {
        guard let first = middlewares.first else { return try await transport.send(request, baseURL: baseURL) }
        let rest = middlewares.dropFirst()
        return try await first.intercept(request) { next in
            try await run(next, through: rest, transport: transport, baseURL: baseURL)
        }
    }

    // MARK: - Reading answers (generated code calls these)

    /// The JSON of a success answer: the envelope's `data`, or the whole body.
    public func json(of response: ClientResponse, operationID: String, envelope: Bool) throws -> JSONValue {
        let value: JSONValue
        do {
            value = try JSONParser.parse(response.body)
        } catch {
            throw ContractClientError.invalidResponse(
                operationID: operationID, status: response.status, details: [FieldIssue(field: "", reason: "is not JSON: \(error)")])
        }
        guard envelope else { return value }
        guard case .object(let object) = value, let data = object["data"] else {
            throw ContractClientError.invalidResponse(
                operationID: operationID, status: response.status, details: [FieldIssue(field: "/data", reason: "is missing from the envelope")])
        }
        return data
    }

    /// Decodes a success answer as `T`; with `validatesResponses`, a value that breaks the contract throws.
    public func decode<T: JSONConvertible>(_ type: T.Type, from response: ClientResponse, operationID: String, envelope: Bool) throws -> T {
        let json = try json(of: response, operationID: operationID, envelope: envelope)
        var issues = FieldIssues()
        guard let value = T(json: json, at: .root, issues: &issues), issues.isEmpty || !validatesResponses else {
            throw ContractClientError.invalidResponse(operationID: operationID, status: response.status, details: issues.all)
        }
        if validatesResponses, let contractValue = value as? any ContractCodable {
            contractValue.validate(at: .root, into: &issues)
            if !issues.isEmpty {
                throw ContractClientError.invalidResponse(operationID: operationID, status: response.status, details: issues.all)
            }
        }
        return value
    }

    /// Decodes a success answer that may be `null` (nil then).
    public func decodeNullable<T: JSONConvertible>(_ type: T.Type, from response: ClientResponse, operationID: String, envelope: Bool) throws -> T? {
        if case .null = try json(of: response, operationID: operationID, envelope: envelope) { return nil }
        return try decode(type, from: response, operationID: operationID, envelope: envelope)
    }

    /// The error answer in the response, if it is one (`{code, message, requestId, details?}`).
    public func errorAnswer(_ response: ClientResponse) -> ErrorAnswer? {
        ErrorAnswer(response)
    }

    /// What an answer no success case of the operation matched throws: the operation's failure when
    /// the code is one it declares, otherwise `ContractClientError.undeclaredResponse`.
    public func failure<Code>(_ response: ClientResponse, operationID: String, declared: OperationFailure<Code>.Type) -> any Error {
        if let answer = errorAnswer(response), let failure = OperationFailure<Code>(answer) { return failure }
        return failure(response, operationID: operationID)
    }

    /// What an answer no success case of an operation without declared errors matched throws.
    public func failure(_ response: ClientResponse, operationID: String) -> any Error {
        ContractClientError.undeclaredResponse(operationID: operationID, status: response.status, excerpt: response.excerpt)
    }
}
