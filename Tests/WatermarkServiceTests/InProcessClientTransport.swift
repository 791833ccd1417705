import Foundation
import ContractClient
import HTTPTypes
import HummingbirdTesting
import NIOCore

/// The generated client's transport over Hummingbird's in-process test client: the same requests
/// the production transport sends, served by the router without a socket.
struct InProcessClientTransport: ClientTransport {
    let client: any TestClientProtocol

    func send(_ request: ClientRequest, baseURL: String) async throws -> ClientResponse {
        var uri = request.path
        if let absolute = request.absoluteURL, let url = URLComponents(string: absolute) {
            uri = url.percentEncodedPath + (url.percentEncodedQuery.map { "?" + $0 } ?? "")
        }
        if !request.query.isEmpty {
            uri += "?" + request.query.map { Self.escape($0.name) + "=" + Self.escape($0.value) }.joined(separator: "&")
        }
        var headers = HTTPFields()
        for header in request.headers { headers.append(HTTPField(name: HTTPField.Name(header.name)!, value: header.value)) }
        let response = try await client.execute(
            uri: uri, method: HTTPRequest.Method(request.method)!, headers: headers, body: request.body.map { ByteBuffer(bytes: $0) })
        return ClientResponse(
            status: response.status.code, headers: response.headers.map { (name: $0.name.canonicalName, value: $0.value) },
            body: Array(response.body.readableBytesView))
    }

    static func escape(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? text
    }
}
