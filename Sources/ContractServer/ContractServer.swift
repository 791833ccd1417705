import ContractRuntime
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// Serves contract operations: authenticate → read and decode the request → validate →
/// call the handler → encode with the envelope, answering every failure with a catalog code.
public struct ContractServer: Sendable {
    /// How the runtime serves requests.
    public struct Configuration: Sendable {
        /// Largest JSON request body accepted; larger ones get 413 with the catalog's payload-too-large code.
        public var maxBodyBytes: Int
        /// Largest raw (upload) request body accepted.
        public var maxUploadBytes: Int
        /// Check every response against the contract and answer 500 when a handler breaks it.
        public var validateResponses: Bool
        public var authenticator: (any ContractAuthenticator)?
        public var logger: Logger

        public init(
            maxBodyBytes: Int = 1 << 20, maxUploadBytes: Int = 32 << 20, validateResponses: Bool = false,
            authenticator: (any ContractAuthenticator)? = nil, logger: Logger = Logger(label: "contract-runtime")
        ) {
            self.maxBodyBytes = maxBodyBytes
            self.maxUploadBytes = maxUploadBytes
            self.validateResponses = validateResponses
            self.authenticator = authenticator
            self.logger = logger
        }
    }

    public var errors: StandardErrors
    public var configuration: Configuration

    public init(errors: StandardErrors, configuration: Configuration = Configuration()) {
        self.errors = errors
        self.configuration = configuration
    }

    /// Serves one request for `operation`; generated route closures call this.
    public func serve<Context: RequestContext, Input: Sendable>(
        _ request: Request,
        context: Context,
        operation: OperationDescriptor,
        decode: (RequestParts, inout FieldIssues) -> Input?,
        respond: (Input) async throws -> OperationResponse
    ) async -> Response {
        var request = request
        let requestID = RequestIdentifier.value(of: request)
        let language = LanguagePreference(acceptLanguage: request.headers[.acceptLanguage])
        do {
            let principal = try await authenticate(request, operation: operation)
            let body = try await readBody(&request, operation: operation)
            var json: JSONValue?
            var raw: RawRequestBody?
            switch body {
            case .json(let value, let bytes):
                json = value
                raw = bytes
            case .raw(let value): raw = value
            case nil: break
            }
            var query: [(name: String, value: String)] = []
            for (name, value) in request.uri.queryParameters { query.append((String(name), String(value))) }
            var pathParameters: [String: String] = [:]
            for (name, value) in context.parameters { pathParameters[String(name)] = String(value) }
            let parts = RequestParts(
                pathParameters: pathParameters, query: query, headers: request.headers, body: json, rawBody: raw,
                principal: principal, requestID: requestID)
            var issues = FieldIssues()
            let input = decode(parts, &issues)
            guard let input, issues.isEmpty else {
                throw APIError(errors.invalidArgument, details: issues.isEmpty ? [FieldIssue(field: "", reason: "the request does not match the contract")] : issues.all)
            }
            let output = try await respond(input)
            if !output.contractIssues.isEmpty {
                configuration.logger.error(
                    "response breaks the contract",
                    metadata: [
                        "request_id": .string(requestID), "operation": .string(operation.operationID), "status": .stringConvertible(output.status),
                        "issues": .string(output.contractIssues.map(\.description).joined(separator: "; ")),
                    ])
                return errorResponse(
                    APIError(errors.internalError, message: "response of \(operation.operationID) breaks the contract at \(output.contractIssues[0].field.isEmpty ? "/" : output.contractIssues[0].field): \(output.contractIssues[0].reason)"),
                    requestID: requestID, language: language)
            }
            return response(output, requestID: requestID)
        } catch {
            return errorResponse(for: error, operation: operation, requestID: requestID, language: language)
        }
    }

    // MARK: - Steps

    /// The caller: required for a secured operation; for one whose security also allows anonymous
    /// callers (`security: [{}, {bearerAuth: []}]`) a credential that is sent is checked all the same
    /// (a bad one is refused, not ignored) and none means an anonymous caller.
    private func authenticate(_ request: Request, operation: OperationDescriptor) async throws -> Principal? {
        var alternatives = operation.security
        if operation.isPublic {
            alternatives = alternatives.filter { alternative in
                !alternative.isEmpty && alternative.allSatisfy { Self.credential(for: $0, in: request) != nil }
            }
            guard !alternatives.isEmpty else { return nil }
        }
        guard let authenticator = configuration.authenticator else {
            throw APIError(errors.unauthenticated, message: "no authenticator is configured for secured operations")
        }
        var lastError: (any Error)?
        for alternative in alternatives {
            var principal: Principal?
            var satisfied = true
            for scheme in alternative {
                guard let credential = Self.credential(for: scheme, in: request) else {
                    satisfied = false
                    break
                }
                do {
                    let made = try await authenticator.authenticate(credential, for: operation)
                    if let mismatch = scheme.principal?.mismatch(made) {
                        throw APIError(errors.unauthenticated, message: "the credential's principal does not fit the contract: \(mismatch)")
                    }
                    principal = made
                } catch {
                    lastError = error
                    satisfied = false
                    break
                }
            }
            if satisfied, let principal {
                if !operation.roles.isEmpty, principal.roles.isDisjoint(with: operation.roles) {
                    throw APIError(errors.forbidden)
                }
                return principal
            }
        }
        throw lastError ?? APIError(errors.unauthenticated)
    }

    /// What follows the auth scheme in an `Authorization` value (`Bearer <token>`; the scheme's
    /// case and surrounding spaces do not matter), or nil for another scheme or nothing. Works on
    /// the UTF-8 bytes: a token is hundreds of characters and this runs on every request.
    static func parameter(of header: String, scheme: String) -> String? {
        let bytes = header.utf8
        let name = scheme.utf8
        guard bytes.count > name.count + 1 else { return nil }
        var index = bytes.startIndex
        for expected in name {
            // ASCII letters compare case-insensitively by their 0x20 bit.
            guard bytes[index] | 0x20 == expected | 0x20 else { return nil }
            index = bytes.index(after: index)
        }
        func isSpace(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        guard isSpace(bytes[index]) else { return nil }
        var start = index
        while start < bytes.endIndex, isSpace(bytes[start]) { start = bytes.index(after: start) }
        var end = bytes.endIndex
        while end > start, isSpace(bytes[bytes.index(before: end)]) { end = bytes.index(before: end) }
        guard start < end else { return nil }
        return String(Substring(header.utf8[start..<end]))
    }

    static func credential(for scheme: SecuritySchemeDescriptor, in request: Request) -> Credential? {
        switch scheme.kind {
        case .bearer, .oauth2:
            guard let header = request.headers[.authorization], let token = Self.parameter(of: header, scheme: "bearer") else { return nil }
            return Credential(scheme: scheme, value: token)
        case .basic:
            guard let header = request.headers[.authorization], header.prefix(6).lowercased() == "basic ",
                  let data = Data(base64Encoded: String(header.dropFirst(6))), let text = String(data: data, encoding: .utf8)
            else { return nil }
            return Credential(scheme: scheme, value: text)
        case .apiKey(let location, let name):
            switch location {
            case .header:
                guard let fieldName = HTTPField.Name(name), let value = request.headers[fieldName] else { return nil }
                return Credential(scheme: scheme, value: value)
            case .query:
                guard let value = request.uri.queryParameters.get(name) else { return nil }
                return Credential(scheme: scheme, value: value)
            case .cookie:
                guard let value = request.cookies[name]?.value else { return nil }
                return Credential(scheme: scheme, value: value)
            }
        }
    }

    /// A request body as the operation takes it (a JSON body keeps its bytes for operations that
    /// ask for them with `x-raw-bytes`).
    enum DecodedBody {
        case json(JSONValue, bytes: RawRequestBody)
        case raw(RawRequestBody)
    }

    private func readBody(_ request: inout Request, operation: OperationDescriptor) async throws -> DecodedBody? {
        let contentType = request.headers[.contentType]
        let limit = operation.requestBodyIsRaw ? configuration.maxUploadBytes : configuration.maxBodyBytes
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
            throw APIError(errors.payloadTooLarge, details: [FieldIssue(field: "/body", reason: "must be at most \(limit) bytes")])
        }
        guard !operation.requestContentTypes.isEmpty else { return nil }
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw APIError(errors.payloadTooLarge, details: [FieldIssue(field: "/body", reason: "must be at most \(limit) bytes")])
        }
        if buffer.readableBytes == 0, contentType == nil {
            if operation.requestBodyRequired {
                throw APIError(errors.invalidArgument, details: [FieldIssue(field: "/body", reason: "is required")])
            }
            return nil
        }
        let mediaType = contentType.map(Self.mediaType(of:)) ?? ""
        guard operation.requestContentTypes.contains(where: { Self.mediaType(of: $0) == mediaType }) else {
            throw APIError(
                errors.unsupportedMediaType,
                details: [FieldIssue(field: "/header/Content-Type", reason: "must be one of \(operation.requestContentTypes.joined(separator: ", "))")])
        }
        if operation.requestBodyIsRaw {
            return .raw(RawRequestBody(contentType: mediaType, bytes: buffer))
        }
        do {
            return .json(try JSONParser.parse(Array(buffer.readableBytesView)), bytes: RawRequestBody(contentType: mediaType, bytes: buffer))
        } catch {
            throw APIError(errors.invalidArgument, details: [FieldIssue(field: "/body", reason: error.description)])
        }
    }

    static func mediaType(of contentType: String) -> String {
        (contentType.split(separator: ";").first.map(String.init) ?? "").trimmingCharacters(in: .whitespaces).lowercased()
    }

    // MARK: - Responses

    func response(_ output: OperationResponse, requestID: String) -> Response {
        var headers = HTTPFields()
        headers[RequestIdentifier.headerName] = requestID
        for header in output.headers {
            if let name = HTTPField.Name(header.name) { headers.append(HTTPField(name: name, value: header.value)) }
        }
        let status = HTTPResponse.Status(code: output.status)
        switch output.body {
        case .envelope(let data):
            let envelope = JSONValue.object(JSONObject([
                ("code", .integer(0)), ("message", .string("OK")), ("requestId", .string(requestID)), ("data", data),
            ]))
            return Self.jsonResponse(envelope, status: status, headers: headers)
        case .json(let value):
            return Self.jsonResponse(value, status: status, headers: headers)
        case .raw(let contentType, let body):
            headers[.contentType] = contentType
            return Response(status: status, headers: headers, body: body)
        case .empty:
            return Response(status: status, headers: headers)
        }
    }

    /// The error envelope for anything a step or a handler threw.
    public func errorResponse(for error: any Error, operation: OperationDescriptor?, requestID: String, language: LanguagePreference) -> Response {
        if let convertible = error as? any APIErrorConvertible {
            return errorResponse(convertible.apiError, requestID: requestID, language: language)
        }
        if let httpError = error as? any HTTPResponseError {
            return errorResponse(apiError(forStatus: httpError.status.code), requestID: requestID, language: language)
        }
        configuration.logger.error(
            "unhandled error",
            metadata: ["request_id": .string(requestID), "operation": .string(operation?.operationID ?? "-"), "error": .string(String(reflecting: error))])
        return errorResponse(APIError(errors.internalError), requestID: requestID, language: language)
    }

    public func errorResponse(_ error: APIError, requestID: String, language: LanguagePreference) -> Response {
        var headers = HTTPFields()
        headers[RequestIdentifier.headerName] = requestID
        for (name, value) in error.headers.sorted(by: { $0.key < $1.key }) {
            if let fieldName = HTTPField.Name(name) { headers[fieldName] = value }
        }
        return Self.jsonResponse(
            error.envelope(requestID: requestID, language: language), status: HTTPResponse.Status(code: error.descriptor.httpStatus), headers: headers)
    }

    /// The catalog entry the runtime uses for a bare HTTP status.
    public func apiError(forStatus status: Int) -> APIError {
        switch status {
        case 400: APIError(errors.invalidArgument)
        case 401: APIError(errors.unauthenticated)
        case 403: APIError(errors.forbidden)
        case 404: APIError(errors.notFound)
        case 405: APIError(errors.methodNotAllowed)
        case 413: APIError(errors.payloadTooLarge)
        case 415: APIError(errors.unsupportedMediaType)
        default: APIError(errors.internalError)
        }
    }

    static func jsonResponse(_ value: JSONValue, status: HTTPResponse.Status, headers: HTTPFields) -> Response {
        var headers = headers
        headers[.contentType] = "application/json; charset=utf-8"
        let bytes = JSONSerializer.serialize(value)
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
