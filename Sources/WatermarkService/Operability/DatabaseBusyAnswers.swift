import ContractRuntime
import PostgresSupport
import WatermarkAPI

/// A busy or unreachable database is the catalog's 50301 with `Retry-After`, which clients retry,
/// never a 500: a request refused by the admission gate (`DatabaseOverloaded`) is told to come
/// back in a second, one that found no connection (`DatabaseUnavailable`, the server is down) in
/// a few.
extension DatabaseOverloaded: APIErrorConvertible {
    public var apiError: APIError {
        APIError(ErrorCode.dependencyUnavailable.descriptor, headers: ["Retry-After": "1"])
    }
}

extension DatabaseUnavailable: APIErrorConvertible {
    public var apiError: APIError {
        APIError(ErrorCode.dependencyUnavailable.descriptor, headers: ["Retry-After": "5"])
    }
}
