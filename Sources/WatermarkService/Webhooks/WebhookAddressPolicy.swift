import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Where webhooks may go: unless private addresses are allowed (development, or a deployment whose
/// receivers are internal, `WEBHOOK_ALLOW_PRIVATE_ADDRESSES`), a webhook URL must not lead into
/// the service's own network — loopback, private (RFC 1918, unique-local IPv6), link-local (the
/// cloud metadata address 169.254.169.254), carrier-grade NAT, unspecified, multicast or reserved
/// addresses — so a user cannot make the service send requests to its database, metadata service
/// or neighbours (server-side request forgery). URLs are checked when an endpoint is saved (IP
/// literals and `localhost`) and before every delivery: the host is resolved, every address must
/// pass, and the request then goes to the address that was checked (`Destination.pinned`), so a
/// DNS answer that changes in between cannot redirect it.
struct WebhookAddressPolicy: Sendable {
    let allowsPrivateAddresses: Bool
    /// Which addresses pass when private ones are refused: public unicast ones (a test may widen it).
    var isAllowed: @Sendable ([UInt8]) -> Bool = WebhookAddressPolicy.isPublic

    /// Where a delivery connects.
    enum Destination: Equatable {
        /// Wherever the host resolves to when connecting (private addresses allowed, or an IP literal).
        case unchecked
        /// To this checked address (the URL's host still names the server for TLS and `Host`).
        case pinned(String)
        /// Nowhere: why.
        case refused(String)
    }

    /// Why a host written in a URL is refused without resolving it (an IP literal or a localhost
    /// name), or nil.
    func refusal(ofLiteralHost host: String) -> String? {
        guard !allowsPrivateAddresses else { return nil }
        let name = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        if name == "localhost" || name.hasSuffix(".localhost") {
            return isAllowed([127, 0, 0, 1]) ? nil : "points at this machine (\(host))"
        }
        guard let address = Self.parse(name) else { return nil }
        return isAllowed(address) ? nil : "points at a non-public address (\(host))"
    }

    /// Where delivering to `host` may connect, after resolving it. Throws `Unresolved` when the
    /// name does not resolve.
    func destination(of host: String) async throws -> Destination {
        guard !allowsPrivateAddresses else { return .unchecked }
        if let refused = refusal(ofLiteralHost: host) { return .refused(refused) }
        let name = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        if Self.parse(name) != nil { return .unchecked }
        let addresses = try await Self.resolve(name)
        if let refused = addresses.first(where: { !isAllowed($0) }) {
            return .refused("\(host) resolves to a non-public address (\(Self.format(refused)))")
        }
        // IPv4 first: more receivers are reachable over it.
        let chosen = addresses.first { $0.count == 4 } ?? addresses[0]
        return .pinned(Self.format(chosen))
    }

    /// A host name that did not resolve.
    struct Unresolved: Error, CustomStringConvertible {
        let host: String
        let reason: String
        var description: String { "\(host) does not resolve: \(reason)" }
    }

    /// The 4 or 16 bytes of an IPv4 or IPv6 literal, or nil.
    static func parse(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 { return withUnsafeBytes(of: &v4) { Array($0) } }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 { return withUnsafeBytes(of: &v6) { Array($0) } }
        return nil
    }

    /// Whether a 4- or 16-byte address is a public unicast one.
    static func isPublic(_ bytes: [UInt8]) -> Bool {
        if bytes.count == 4 {
            let (a, b, c) = (bytes[0], bytes[1], bytes[2])
            switch a {
            case 0, 10, 127: return false                      // "this network", private, loopback
            case 100 where b & 0xC0 == 64: return false         // 100.64.0.0/10 carrier-grade NAT
            case 169 where b == 254: return false               // link-local, cloud metadata
            case 172 where b & 0xF0 == 16: return false         // 172.16.0.0/12
            case 192 where b == 168: return false               // 192.168.0.0/16
            case 192 where b == 0 && c == 0: return false       // IETF protocol assignments
            case 198 where b & 0xFE == 18: return false         // 198.18.0.0/15 benchmarking
            case 224...255: return false                        // multicast, reserved, broadcast
            default: return true
            }
        }
        guard bytes.count == 16 else { return false }
        if bytes[0..<15].allSatisfy({ $0 == 0 }) { return false }                        // :: and ::1
        if bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xFF, bytes[11] == 0xFF {  // ::ffff:a.b.c.d
            return isPublic(Array(bytes[12..<16]))
        }
        if bytes[0..<12] == [0x00, 0x64, 0xFF, 0x9B, 0, 0, 0, 0, 0, 0, 0, 0] {            // 64:ff9b::/96 NAT64
            return isPublic(Array(bytes[12..<16]))
        }
        if bytes[0] & 0xFE == 0xFC { return false }                                       // fc00::/7 unique local
        if bytes[0] == 0xFE, bytes[1] & 0xC0 == 0x80 { return false }                     // fe80::/10 link-local
        if bytes[0] == 0xFF { return false }                                              // multicast
        return true
    }

    static func format(_ bytes: [UInt8]) -> String {
        bytes.count == 4
            ? bytes.map(String.init).joined(separator: ".")
            : stride(from: 0, to: 16, by: 2).map { String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16) }.joined(separator: ":")
    }

    /// Every address `host` resolves to (getaddrinfo, on a dispatch thread: it blocks).
    static func resolve(_ host: String) async throws -> [[UInt8]] {
        let outcome: Result<[[UInt8]], Unresolved> = await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                var hints = addrinfo()
                hints.ai_family = AF_UNSPEC
                hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
                var list: UnsafeMutablePointer<addrinfo>?
                let status = getaddrinfo(host, nil, &hints, &list)
                guard status == 0 else {
                    continuation.resume(returning: .failure(Unresolved(host: host, reason: String(cString: gai_strerror(status)))))
                    return
                }
                defer { freeaddrinfo(list) }
                var addresses: [[UInt8]] = []
                var node = list
                while let entry = node {
                    if let socket = entry.pointee.ai_addr {
                        switch entry.pointee.ai_family {
                        case AF_INET:
                            addresses.append(socket.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { pointer in
                                withUnsafeBytes(of: pointer.pointee.sin_addr) { Array($0) }
                            })
                        case AF_INET6:
                            addresses.append(socket.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { pointer in
                                withUnsafeBytes(of: pointer.pointee.sin6_addr) { Array($0) }
                            })
                        default: break
                        }
                    }
                    node = entry.pointee.ai_next
                }
                continuation.resume(returning: addresses.isEmpty ? .failure(Unresolved(host: host, reason: "no address")) : .success(addresses))
            }
        }
        return try outcome.get()
    }
}
