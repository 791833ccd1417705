import ContractRuntime
import HTTPTypes

/// The already-separated parts of a request a generated decoder reads its input from.
public struct RequestParts: Sendable {
    public var pathParameters: [String: String]
    public var query: [(name: String, value: String)]
    public var headers: HTTPFields
    public var body: JSONValue?
    /// The body's bytes: the whole input of an operation whose media types are not JSON (uploads),
    /// and beside the parsed JSON for operations that keep them (`x-raw-bytes`).
    public var rawBody: RawRequestBody?
    public var principal: Principal?
    public var requestID: String

    public init(
        pathParameters: [String: String], query: [(name: String, value: String)], headers: HTTPFields,
        body: JSONValue?, rawBody: RawRequestBody? = nil, principal: Principal?, requestID: String
    ) {
        self.rawBody = rawBody
        self.pathParameters = pathParameters
        self.query = query
        self.headers = headers
        self.body = body
        self.principal = principal
        self.requestID = requestID
    }

    /// A path parameter; `expectation` words the issue (`"must be a UUID"`).
    public func path<T: ParameterConvertible>(_ name: String, as type: T.Type = T.self, expectation: String, issues: inout FieldIssues) -> T? {
        guard let text = pathParameters[name] else {
            issues.add(JSONPath.root.appending("path").appending(name), "is required")
            return nil
        }
        return convert(text, at: JSONPath.root.appending("path").appending(name), expectation: expectation, issues: &issues)
    }

    public func query<T: ParameterConvertible>(_ name: String, as type: T.Type = T.self, required: Bool, expectation: String, issues: inout FieldIssues) -> T? {
        let values = query.filter { $0.name == name }
        guard let text = values.first?.value else {
            if required { issues.add(JSONPath.root.appending("query").appending(name), "is required") }
            return nil
        }
        if values.count > 1 {
            issues.add(JSONPath.root.appending("query").appending(name), "must be given once")
            return nil
        }
        return convert(text, at: JSONPath.root.appending("query").appending(name), expectation: expectation, issues: &issues)
    }

    /// An array query parameter, form style: repeated (`?id=a&id=b`) or comma-separated.
    public func queryArray<T: ParameterConvertible>(_ name: String, as type: T.Type = T.self, required: Bool, expectation: String, issues: inout FieldIssues) -> [T]? {
        let field = JSONPath.root.appending("query").appending(name)
        let occurrences = query.filter { $0.name == name }
        guard !occurrences.isEmpty else {
            if required { issues.add(field, "is required") }
            return nil
        }
        // `?id=` alone is how form style writes an empty array.
        let texts = occurrences.flatMap { $0.value.isEmpty ? [] : $0.value.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let before = issues.count
        let values = texts.enumerated().compactMap { index, text in
            convert(text, at: field.appending(index), expectation: expectation, issues: &issues) as T?
        }
        return issues.count == before ? values : nil
    }

    public func header<T: ParameterConvertible>(_ name: String, as type: T.Type = T.self, required: Bool, expectation: String, issues: inout FieldIssues) -> T? {
        guard let fieldName = HTTPField.Name(name), let text = headers[fieldName] else {
            if required { issues.add(JSONPath.root.appending("header").appending(name), "is required") }
            return nil
        }
        return convert(text, at: JSONPath.root.appending("header").appending(name), expectation: expectation, issues: &issues)
    }

    /// The JSON body decoded as `T`, with issues under `/body`.
    public func body<T: JSONConvertible>(_ type: T.Type = T.self, required: Bool, issues: inout FieldIssues) -> T? {
        let field = JSONPath.root.appending("body")
        guard let body else {
            if required { issues.add(field, "is required") }
            return nil
        }
        return T(json: body, at: field, issues: &issues)
    }

    /// The raw body of an upload operation (its media type was checked against the contract).
    public func rawBody(required: Bool, issues: inout FieldIssues) -> RawRequestBody? {
        guard let rawBody else {
            if required { issues.add(JSONPath.root.appending("body"), "is required") }
            return nil
        }
        return rawBody
    }

    /// The `multipart/form-data` body decoded as `T`, with issues under `/body` (a body that is not well-formed
    /// multipart, or has too many parts, is an issue at `/body`).
    public func form<T: ContractForm>(_ type: T.Type = T.self, required: Bool, issues: inout FieldIssues) -> T? {
        let field = JSONPath.root.appending("body")
        guard let rawBody else {
            if required { issues.add(field, "is required") }
            return nil
        }
        do {
            let parts = try MultipartBody.parts(of: rawBody.bytes, contentType: headers[.contentType] ?? "")
            return T(form: parts, at: field, issues: &issues)
        } catch {
            issues.add(field, error.description)
            return nil
        }
    }

    /// `text` as `T`; the issue's pointer is built only when there is one.
    private func convert<T: ParameterConvertible>(_ text: String, at field: @autoclosure () -> JSONPath, expectation: String, issues: inout FieldIssues) -> T? {
        guard let value = T(parameter: text) else {
            issues.add(field(), expectation)
            return nil
        }
        return value
    }
}
