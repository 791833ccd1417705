import ContractRuntime
import Foundation
import HTTPTypes
import Hummingbird

/// Gives every request an `X-Request-Id`, returns it on every response, and answers anything
/// outside the generated operations (unknown paths, methods no route is registered for, framework
/// errors) with the error envelope.
public struct ContractMiddleware<Context: RequestContext>: RouterMiddleware {
    public let server: ContractServer
    /// The contract's paths: a method the router knows no routes for on one of them is 405.
    public let paths: ContractPathTable

    public init(server: ContractServer, paths: [(path: String, methods: [String])] = []) {
        self.server = server
        self.paths = ContractPathTable(paths)
    }

    /// The methods `Router.addMethodNotAllowed` registers routes for; any other is answered here.
    static var routedMethods: Set<HTTPRequest.Method> { [.get, .put, .post, .delete, .patch, .head, .options] }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let language = LanguagePreference(acceptLanguage: request.headers[.acceptLanguage])
        if let given = request.headers[RequestIdentifier.headerName], !RequestIdentifier.isAcceptable(given) {
            let id = UUID().uuidString.lowercased()
            return server.errorResponse(
                APIError(server.errors.invalidArgument, details: [FieldIssue(field: "/header/X-Request-Id", reason: "must be 1 to 128 visible ASCII characters")]),
                requestID: id, language: language)
        }
        let id = RequestIdentifier.value(of: request)
        if !Self.routedMethods.contains(request.method), let allowed = paths.allowedMethods(for: request.uri.path) {
            return server.errorResponse(
                APIError(server.errors.methodNotAllowed, headers: ["Allow": allowed.joined(separator: ", ")]), requestID: id, language: language)
        }
        var head = request.head
        head.headerFields[RequestIdentifier.headerName] = id
        let request = Request(head: head, body: request.body)
        // Every line logged for this request names it.
        var context = context
        context.logger[metadataKey: "request_id"] = .string(id)
        do {
            var response = try await next(request, context)
            response.headers[RequestIdentifier.headerName] = id
            return response
        } catch {
            return server.errorResponse(for: error, operation: nil, requestID: id, language: language)
        }
    }
}
