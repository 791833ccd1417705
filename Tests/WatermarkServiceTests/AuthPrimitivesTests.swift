import ContractRuntime
import ContractServer
import Foundation
import Testing
import WatermarkAPI
@testable import WatermarkService

@Suite("auth primitives: password hashes, access tokens, refresh tokens")
struct AuthPrimitivesTests {
    /// A cheaper cost than production's, so the suite stays fast; the format and checks are the same.
    static let hasher = PasswordHasher(costLog2: 10, blockSize: 8, parallelism: 1)

    @Test func aPasswordVerifiesAgainstItsOwnHashOnly() throws {
        let stored = try Self.hasher.hash("correct-horse-battery")
        #expect(stored.hasPrefix("scrypt$10$8$1$"))
        #expect(Self.hasher.verify("correct-horse-battery", against: stored))
        #expect(!Self.hasher.verify("correct-horse-batterY", against: stored))
        #expect(try Self.hasher.hash("correct-horse-battery") != stored, "each hash has its own salt")
    }

    @Test func malformedHashesNeverVerifyAndAskForARehash() throws {
        for stored in ["", "plain", "scrypt$10$8$1$c2FsdA==", "scrypt$99$8$1$c2FsdA==$AAAA", "bcrypt$10$8$1$c2FsdA==$" + Data(count: 32).base64EncodedString()] {
            #expect(!Self.hasher.verify("x", against: stored), "\(stored)")
            #expect(Self.hasher.needsRehash(stored))
        }
        let stored = try Self.hasher.hash("pw-123456")
        #expect(!Self.hasher.needsRehash(stored))
        #expect(PasswordHasher.standard.needsRehash(stored), "a cheaper hash is upgraded at the next sign-in")
    }

    static func tokens(lifetime: Int = 900) async throws -> AccessTokens {
        try await AccessTokens(privateKeyPEM: try AccessTokens.newPrivateKeyPEM(), keyID: "test", lifetime: lifetime)
    }

    @Test func anAccessTokenCarriesUserSessionAndRolesUntilItExpires() async throws {
        let tokens = try await Self.tokens()
        let user = UUID(), session = UUID()
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let token = try await tokens.issue(userID: user, sessionID: session, roles: ["user"], now: now)
        #expect(token.split(separator: ".").count == 3)
        let header = try #require(Self.base64URLDecoded(String(token.split(separator: ".")[0])))
        #expect(String(decoding: header, as: UTF8.self).contains("\"RS256\""))

        guard case .valid(let claims) = await tokens.verify(token, now: now.addingTimeInterval(899)) else {
            Issue.record("a fresh token verifies")
            return
        }
        #expect(claims.sub.value == user.uuidString.lowercased() && claims.sid == session.uuidString.lowercased() && claims.roles == ["user"])
        #expect(claims.exp.value == now.addingTimeInterval(900))
        #expect(await tokens.verify(token, now: now.addingTimeInterval(900)) == .expired)
    }

    @Test func tokensOfAnotherKeyOrTamperedOnesAreInvalid() async throws {
        let ours = try await Self.tokens(), theirs = try await Self.tokens()
        let token = try await theirs.issue(userID: UUID(), sessionID: UUID(), roles: ["admin"])
        #expect(await ours.verify(token) == .invalid)
        let mine = try await ours.issue(userID: UUID(), sessionID: UUID(), roles: ["user"])
        // The same token with its roles changed to admin: the signature no longer matches.
        var parts = mine.split(separator: ".").map(String.init)
        let payload = String(decoding: try #require(Self.base64URLDecoded(parts[1])), as: UTF8.self)
        #expect(payload.contains("\"roles\":[\"user\"]"))
        parts[1] = Self.base64URLEncoded(Data(payload.replacingOccurrences(of: "[\"user\"]", with: "[\"admin\"]").utf8))
        #expect(await ours.verify(parts.joined(separator: ".")) == .invalid)
        #expect(await ours.verify("not-a-jwt") == .invalid)
        #expect(await ours.verify("") == .invalid)
    }

    @Test func theAuthenticatorAnswers40101And40102() async throws {
        let tokens = try await Self.tokens(lifetime: 1)
        let authenticator = BearerAuthenticator(tokens: tokens, liveness: nil)
        let scheme = SecuritySchemeDescriptor(name: "bearerAuth", kind: .bearer(format: "JWT"))
        let operation = Operations.GetMe.descriptor
        let user = UUID()
        let fresh = try await tokens.issue(userID: user, sessionID: UUID(), roles: ["user"])
        let principal = try await authenticator.authenticate(Credential(scheme: scheme, value: fresh), for: operation)
        #expect(principal.subject == user.uuidString.lowercased() && principal.roles == ["user"] && principal.claims["sid"] != nil)

        let expired = try await tokens.issue(userID: user, sessionID: UUID(), roles: ["user"], now: Date().addingTimeInterval(-60))
        #expect(await Self.refusal(authenticator, Credential(scheme: scheme, value: expired)) == 40102)
        #expect(await Self.refusal(authenticator, Credential(scheme: scheme, value: "garbage")) == 40101)
    }

    static func base64URLDecoded(_ text: String) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        return Data(base64Encoded: base64)
    }

    static func base64URLEncoded(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// The catalog code the authenticator refuses `credential` with (nil when it accepts it).
    static func refusal(_ authenticator: BearerAuthenticator, _ credential: Credential) async -> Int? {
        do {
            _ = try await authenticator.authenticate(credential, for: Operations.GetMe.descriptor)
            return nil
        } catch let error as APIError {
            return error.descriptor.code
        } catch {
            return -1
        }
    }

    @Test func refreshTokensAreRandomAndStoredAsDigests() {
        let first = RefreshToken.generate(), second = RefreshToken.generate()
        #expect(first != second)
        #expect(first.value.hasPrefix("rt_") && first.value.count == 46)
        #expect(first.value.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" })
        #expect(first.digest.count == 32 && first.digest == RefreshToken(value: first.value).digest && first.digest != second.digest)
    }
}
