import Testing
@testable import WatermarkService

/// Which addresses webhooks may reach outside development (server-side request forgery).
struct WebhookAddressPolicyTests {
    @Test(arguments: [
        "127.0.0.1", "127.9.9.9", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "169.254.169.254", "100.64.0.1",
        "100.127.255.255", "0.0.0.0", "224.0.0.1", "255.255.255.255", "198.18.0.1", "192.0.0.8",
        "::1", "::", "fc00::1", "fd12:3456::1", "fe80::1", "ff02::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "64:ff9b::a00:1",
    ])
    func nonPublicAddressesAreRefused(_ literal: String) throws {
        let bytes = try #require(WebhookAddressPolicy.parse(literal))
        #expect(!WebhookAddressPolicy.isPublic(bytes))
        #expect(WebhookAddressPolicy(allowsPrivateAddresses: false).refusal(ofLiteralHost: literal) != nil)
        #expect(WebhookAddressPolicy(allowsPrivateAddresses: true).refusal(ofLiteralHost: literal) == nil)
    }

    @Test(arguments: ["8.8.8.8", "93.184.215.14", "172.32.0.1", "100.128.0.1", "169.253.1.1", "2606:4700::1111", "::ffff:8.8.8.8"])
    func publicAddressesPass(_ literal: String) throws {
        let bytes = try #require(WebhookAddressPolicy.parse(literal))
        #expect(WebhookAddressPolicy.isPublic(bytes))
        #expect(WebhookAddressPolicy(allowsPrivateAddresses: false).refusal(ofLiteralHost: literal) == nil)
    }

    @Test func namesAreJudgedByWhatTheyResolveTo() async throws {
        let strict = WebhookAddressPolicy(allowsPrivateAddresses: false)
        #expect(strict.refusal(ofLiteralHost: "localhost") != nil && strict.refusal(ofLiteralHost: "api.LOCALHOST") != nil)
        #expect(strict.refusal(ofLiteralHost: "hooks.example.com") == nil, "a name is not resolved when an endpoint is saved")
        #expect(strict.refusal(ofLiteralHost: "[::1]") != nil)
        #expect(try await WebhookAddressPolicy.resolve("127.0.0.1") == [[127, 0, 0, 1]])
        guard case .refused(let reason) = try await strict.destination(of: "127.0.0.1") else { Issue.record("not refused"); return }
        #expect(reason.contains("127.0.0.1"))
        #expect(try await WebhookAddressPolicy(allowsPrivateAddresses: true).destination(of: "localhost") == .unchecked)
        #expect(try await strict.destination(of: "8.8.8.8") == .unchecked, "an IP literal cannot change under the check")
        // A name is resolved, checked, and the delivery pinned to the checked IPv4 address.
        let loopbackAllowed = WebhookAddressPolicy(allowsPrivateAddresses: false, isAllowed: { _ in true })
        #expect(try await loopbackAllowed.destination(of: "localhost") == .pinned("127.0.0.1"))
        #expect(WebhookAddressPolicy.format([0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]) == "fe80:0:0:0:0:0:0:1")
    }
}
