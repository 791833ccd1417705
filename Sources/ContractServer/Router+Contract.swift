import ContractRuntime
import HTTPTypes
import Hummingbird

extension Router {
    /// Answers the methods a contract path does not declare with 405 and an `Allow` header.
    public func addMethodNotAllowed(path: String, allowed: [String], server: ContractServer) {
        let methods = ContractMiddleware<Context>.routedMethods
        let allowedSet = Set(allowed.map { $0.uppercased() })
        for method in methods where !allowedSet.contains(method.rawValue) {
            on(RouterPath(ContractPaths.routerPath(path)), method: method) { request, _ in
                let language = LanguagePreference(acceptLanguage: request.headers[.acceptLanguage])
                return server.errorResponse(
                    APIError(server.errors.methodNotAllowed, headers: ["Allow": allowed.sorted().joined(separator: ", ")]),
                    requestID: RequestIdentifier.value(of: request), language: language)
            }
        }
    }

    /// Serves the bundled contract at `/openapi.json` and its HTML reference at `/docs`.
    public func addContractDocuments(openAPIJSON: String, docsHTML: String) {
        get("/openapi.json") { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "application/json; charset=utf-8"
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: openAPIJSON)))
        }
        get("/docs") { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "text/html; charset=utf-8"
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: docsHTML)))
        }
    }
}

/// Converts contract path templates to router paths.
public enum ContractPaths {
    /// `/v1/tasks/{taskId}` → `/v1/tasks/:taskId`
    public static func routerPath(_ template: String) -> String {
        template.split(separator: "/", omittingEmptySubsequences: false).map { segment in
            segment.hasPrefix("{") && segment.hasSuffix("}") ? ":" + segment.dropFirst().dropLast() : String(segment)
        }.joined(separator: "/")
    }
}
