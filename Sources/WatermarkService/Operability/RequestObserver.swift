import ContractRuntime
import ContractServer
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// The outermost middleware: one access log line per request (method, route, status, duration and
/// the request id the contract middleware gave it) and the request metrics.
struct RequestObserver<Context: RequestContext>: RouterMiddleware {
    let metrics: ServiceMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let clock = ContinuousClock()
        let start = clock.now
        let response: Response
        do {
            response = try await next(request, context)
        } catch {
            // The contract middleware answers every error itself; anything else is the framework's.
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            finish(request, context: context, status: status, requestID: nil, duration: clock.now - start)
            throw error
        }
        finish(request, context: context, status: response.status.code,
               requestID: response.headers[RequestIdentifier.headerName], duration: clock.now - start)
        return response
    }

    private func finish(_ request: Request, context: Context, status: Int, requestID: String?, duration: Duration) {
        let route = context.endpointPath ?? "NotFound"
        metrics.requestFinished(method: request.method.rawValue, route: route, status: status, duration: duration)
        let milliseconds = Double(duration.components.seconds) * 1_000 + Double(duration.components.attoseconds) / 1e15
        // The metadata is built only when the level is logged.
        context.logger.log(level: status >= 500 ? .error : .info, "request", metadata: {
            var metadata: Logger.Metadata = [
                "method": .string(request.method.rawValue), "path": .string(request.uri.path), "route": .string(route),
                "status": .stringConvertible(status), "duration_ms": .string(String(format: "%.1f", milliseconds)),
            ]
            if let requestID { metadata["request_id"] = .string(requestID) }
            return metadata
        }())
    }
}
