import Foundation
import PostgresSupport
import WatermarkAPI

/// The service's request limits (42901 with `Retry-After` when one is reached), shared by every
/// instance on the database: sign-in attempts per account (register, login, refresh), creations
/// per user (tasks, upload policies) and account exports per user.
struct RateLimits: Sendable {
    let signIn: RateLimiter
    let creations: RateLimiter
    let exports: RateLimiter

    init(_ configuration: ServiceConfiguration, database: Database) {
        signIn = RateLimiter(limit: configuration.signInAttemptsPerMinute, database: database)
        creations = RateLimiter(limit: configuration.creationsPerMinute, database: database)
        exports = RateLimiter(limit: configuration.exportsPerHour, window: .seconds(3_600), database: database)
    }
}

/// An operation's failure type that can answer 42901 (the operation declares it).
protocol RateLimitedFailure: Error {
    static func rateLimited(_ message: String?) -> Self
    func with(headers: [String: String]) -> Self
}

extension RateLimiter {
    /// Records an attempt for `subject`; over the limit, throws the operation's 42901 naming `what`
    /// and how long to wait, with `Retry-After`.
    func admit<Failure: RateLimitedFailure>(_ subject: String, what: String, else failure: Failure.Type) async throws {
        if let wait = try await attempt(subject) {
            throw Failure.rateLimited("too many \(what); retry in \(wait) s").with(headers: ["Retry-After": String(wait)])
        }
    }
}

extension Operations.Register.Failure: RateLimitedFailure {}
extension Operations.Login.Failure: RateLimitedFailure {}
extension Operations.RefreshTokens.Failure: RateLimitedFailure {}
extension Operations.CreateUploadPolicy.Failure: RateLimitedFailure {}
extension Operations.CreateTask.Failure: RateLimitedFailure {}
extension Operations.RequestAccountExport.Failure: RateLimitedFailure {}
