import ContractRuntime
import Foundation
import HTTPTypes
import Hummingbird

/// The `X-Request-Id` every request accepts and every response returns.
public enum RequestIdentifier {
    public static let headerName = HTTPField.Name("X-Request-Id")!

    /// The client's id if it is acceptable (1–128 visible ASCII characters), else nil.
    public static func clientValue(_ request: Request) -> String? {
        guard let value = request.headers[headerName], isAcceptable(value) else { return nil }
        return value
    }

    public static func isAcceptable(_ value: String) -> Bool {
        !value.isEmpty && value.utf8.count <= 128 && value.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F }
    }

    /// The id of a request that went through `ContractMiddleware` (or a fresh one).
    public static func value(of request: Request) -> String {
        clientValue(request) ?? UUID().uuidString.lowercased()
    }
}
