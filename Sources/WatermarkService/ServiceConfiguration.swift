import Foundation
import VideoCore

/// How `watermark serve` runs: embedded defaults, overridden by environment variables, overridden
/// by command-line flags. Every value is checked here, so a bad setting stops the service at
/// start with one clear line instead of failing later.
public struct ServiceConfiguration: Sendable, Hashable {
    public var host = "127.0.0.1"
    public var port = 8080
    /// The service's address as clients reach it (the base of signed storage links); nil means
    /// `http://<host>:<port>`. Set it behind a proxy.
    public var publicURL: String?
    /// `postgres://…`; nil runs an embedded PostgreSQL 15 for the life of the process.
    public var databaseURL: String?
    /// How long a transaction waits for a pooled connection once admitted (the server may be down)
    /// before it fails with 50301 instead of hanging.
    public var databaseWaitMilliseconds = 5_000
    /// How long before a result's removal its owner's webhooks hear `task.result_expiring` (0: never).
    public var resultExpiryReminderSeconds: Int64 = 3_600
    /// Hours between an account deletion request and the deletion (the plan asks for deletion within
    /// 24 hours: 23 leaves room for the 15-minute sweep).
    public var accountDeletionGraceHours = 23
    /// Connections per pool (the service has two: user-scope and system-scope transactions).
    public var databasePoolSize = 20
    /// Requests that may wait for a turn at the database when `databasePoolSize` are at work; one
    /// more is refused at once with 50301 and `Retry-After`.
    public var databaseQueueLimit = 1_000
    /// How long a request waits for its turn before it is refused with 50301.
    public var databaseQueueWaitMilliseconds = 30_000
    /// A directory of migrations to apply at start instead of those compiled in
    /// (`DatabaseMigrations.all`, from `contracts/db/migrations`); nil: the compiled-in ones.
    public var migrationsDirectory: String?
    /// Where uploaded files and results are kept (local storage backend).
    public var storageDirectory = ".watermark/storage"
    /// The S3-compatible store to keep files in instead of `storageDirectory`; nil: local storage.
    public var s3: S3Storage.Settings?
    public var maxUploadBytes: Int64 = 25 * 1024 * 1024
    public var maxPixels: Int64 = 40_000_000
    /// Video: FFmpeg (located by `fromEnvironment`), limits, resumable uploads, worker slots.
    public var video = VideoSettings()
    public var uploadPolicyTTLSeconds = 600
    public var resultTTLSeconds = 86_400
    /// The RSA private key (PEM) that signs access tokens; nil uses `developmentKeyFile`.
    public var jwtPrivateKeyFile: String?
    /// The development signing key, generated on first start when no key is configured.
    public var developmentKeyFile = ".watermark/jwt-dev-key.pem"
    public var accessTokenTTLSeconds = 900
    /// How long a session (and its rotating refresh tokens) lasts from sign-in.
    public var sessionTTLSeconds = 30 * 86_400
    /// Register and login attempts per account, and refreshes per refresh token, allowed per minute (then 42901 with Retry-After).
    public var signInAttemptsPerMinute = 10
    /// Tasks and upload policies one user may create per minute (each counted on its own).
    public var creationsPerMinute = 60
    /// Account exports one user may request per hour.
    public var exportsPerHour = 5
    /// Development mode enables `mock-confirm` (a stand-in for paying); `ENVIRONMENT=production` turns it off.
    public var developmentMode = true
    /// The secret the payment provider signs callbacks with; nil refuses every callback (40101).
    public var paymentProviderSecret: String?
    /// Where checkout links point (`<checkoutURL>/<paymentId>`): the mock provider's by default.
    public var checkoutURL = "mock://checkout"
    /// Tasks one process works on at once (`serve` runs its workers beside the API; 0 runs none
    /// there, for deployments where `watermark worker` processes do the work).
    public var workerConcurrency = 1
    /// Seconds a worker's claim on a task lasts without a heartbeat (a killed worker's task runs again after this).
    public var workerLeaseSeconds = 30
    /// How long an idle worker slot waits before it looks for runnable tasks again.
    public var workerPollMilliseconds = 100
    /// Accounts given the `admin` role when they register or sign in.
    public var adminEmails: [String] = []
    /// How long audit log entries are kept.
    public var auditLogRetentionDays = 365
    /// Webhook and outbox retries, timeouts and concurrency.
    public var webhooks = WebhookSettings()
    /// `webhooks` as the service runs them: private addresses allowed only in development unless
    /// `webhooks.allowsPrivateAddresses` says otherwise.
    public var effectiveWebhooks: WebhookSettings {
        var settings = webhooks
        settings.allowsPrivateAddresses = webhooks.allowsPrivateAddresses ?? developmentMode
        return settings
    }
    /// Check every response against the contract before sending it (development).
    public var validateResponses = true
    public var version = "1.0.0"

    public init() {}

    /// The task workers' settings (`WORKER_CONCURRENCY`, `WORKER_LEASE_SECONDS`, `WORKER_POLL_MS`).
    public var workerSettings: WorkerSettings {
        var settings = WorkerSettings(concurrency: workerConcurrency, leaseSeconds: Double(workerLeaseSeconds), pollInterval: .milliseconds(workerPollMilliseconds))
        settings.videoConcurrency = video.tools == nil ? 0 : video.workerConcurrency
        return settings
    }

    /// The base of the links the service hands out.
    public var baseURL: String { publicURL ?? "http://\(host):\(port)" }

    /// A setting that cannot be used, named as the operator wrote it.
    public struct Invalid: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    /// The defaults with the environment's settings applied: `HOST`, `PORT`, `PUBLIC_URL`, `DATABASE_URL`,
    /// `MIGRATIONS_DIR`, `STORAGE_DIR`, `STORAGE_BACKEND` (local/s3) with `S3_ENDPOINT`, `S3_BUCKET`, `S3_REGION`,
    /// `S3_ACCESS_KEY_ID`, `S3_SECRET_ACCESS_KEY` (or `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`), `MAX_UPLOAD_BYTES`, `MAX_PIXELS`, `UPLOAD_POLICY_TTL_SECONDS`,
    /// `RESULT_TTL_SECONDS`, `VALIDATE_RESPONSES` (true/false), `JWT_PRIVATE_KEY_FILE`, `ACCESS_TOKEN_TTL_SECONDS`,
    /// `SESSION_TTL_SECONDS`, `SIGN_IN_ATTEMPTS_PER_MINUTE`, `ENVIRONMENT` (development/production),
    /// `PAYMENT_PROVIDER_SECRET`, `CHECKOUT_URL`, `WORKER_CONCURRENCY`, `WORKER_LEASE_SECONDS`, `WORKER_POLL_MS`,
    /// `ADMIN_EMAILS`, `AUDIT_LOG_RETENTION_DAYS`, `WEBHOOK_CONCURRENCY`, `WEBHOOK_MAX_ATTEMPTS`, `WEBHOOK_RETRY_SCHEDULE`, `WEBHOOK_TIMEOUT_SECONDS`,
    /// `WEBHOOK_ALLOW_PRIVATE_ADDRESSES`, `VIDEO_MAX_BYTES`, `VIDEO_MAX_PIXELS`, `VIDEO_MAX_DURATION_SECONDS`, `VIDEO_MAX_FRAME_RATE`,
    /// `VIDEO_CHUNK_BYTES`, `VIDEO_PART_BYTES`, `VIDEO_UPLOAD_WINDOW_SECONDS`, `VIDEO_WORKER_CONCURRENCY`, `VIDEO` (off: no video even with FFmpeg),
    /// `VIDEO_BOOTSTRAP` (on/off), `VIDEO_BOOTSTRAP_DIR`; FFmpeg is looked for in `WATERMARK_FFMPEG_DIR`, then `PATH`, then
    /// where an earlier start fetched it.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws(Invalid) -> ServiceConfiguration {
        var configuration = ServiceConfiguration()
        func integer(_ name: String, _ range: ClosedRange<Int64>) throws(Invalid) -> Int64? {
            guard let text = environment[name], !text.isEmpty else { return nil }
            guard let value = Int64(text), range.contains(value) else {
                throw Invalid(description: "\(name)=\(text): expected a whole number in \(range.lowerBound)…\(range.upperBound)")
            }
            return value
        }
        if let host = environment["HOST"], !host.isEmpty { configuration.host = host }
        if let port = try integer("PORT", 1...65_535) { configuration.port = Int(port) }
        if let url = environment["PUBLIC_URL"], !url.isEmpty {
            guard let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme ?? ""), parsed.host != nil else {
                throw Invalid(description: "PUBLIC_URL=\(url): expected an absolute http(s) URL")
            }
            configuration.publicURL = url.hasSuffix("/") ? String(url.dropLast()) : url
        }
        if let url = environment["DATABASE_URL"], !url.isEmpty { configuration.databaseURL = url }
        if let milliseconds = try integer("DATABASE_WAIT_MS", 10...600_000) { configuration.databaseWaitMilliseconds = Int(milliseconds) }
        if let size = try integer("DATABASE_POOL_SIZE", 1...500) { configuration.databasePoolSize = Int(size) }
        if let hours = try integer("ACCOUNT_DELETION_GRACE_HOURS", 0...23) { configuration.accountDeletionGraceHours = Int(hours) }
        if let seconds = try integer("RESULT_EXPIRY_REMINDER_SECONDS", 0...31_536_000) { configuration.resultExpiryReminderSeconds = seconds }
        if let limit = try integer("DATABASE_QUEUE_LIMIT", 0...100_000) { configuration.databaseQueueLimit = Int(limit) }
        if let milliseconds = try integer("DATABASE_QUEUE_WAIT_MS", 10...600_000) { configuration.databaseQueueWaitMilliseconds = Int(milliseconds) }
        if let directory = environment["MIGRATIONS_DIR"], !directory.isEmpty { configuration.migrationsDirectory = directory }
        if let directory = environment["STORAGE_DIR"], !directory.isEmpty { configuration.storageDirectory = directory }
        switch environment["STORAGE_BACKEND"] ?? "" {
        case "", "local": break
        case "s3":
            func required(_ names: String...) throws(Invalid) -> String {
                for name in names { if let value = environment[name], !value.isEmpty { return value } }
                throw Invalid(description: "STORAGE_BACKEND=s3 needs \(names.joined(separator: " or "))")
            }
            configuration.s3 = S3Storage.Settings(
                endpoint: try required("S3_ENDPOINT"), bucket: try required("S3_BUCKET"),
                region: environment["S3_REGION"].flatMap { $0.isEmpty ? nil : $0 } ?? "us-east-1",
                accessKeyID: try required("S3_ACCESS_KEY_ID", "AWS_ACCESS_KEY_ID"),
                secretAccessKey: try required("S3_SECRET_ACCESS_KEY", "AWS_SECRET_ACCESS_KEY"))
        case let other: throw Invalid(description: "STORAGE_BACKEND=\(other): expected local or s3")
        }
        if let bytes = try integer("MAX_UPLOAD_BYTES", 1...(25 << 20)) { configuration.maxUploadBytes = bytes }
        if let pixels = try integer("MAX_PIXELS", 1...1_000_000_000) { configuration.maxPixels = pixels }
        if let seconds = try integer("UPLOAD_POLICY_TTL_SECONDS", 1...86_400) { configuration.uploadPolicyTTLSeconds = Int(seconds) }
        if let seconds = try integer("RESULT_TTL_SECONDS", 1...(86_400 * 365)) { configuration.resultTTLSeconds = Int(seconds) }
        if let path = environment["JWT_PRIVATE_KEY_FILE"], !path.isEmpty { configuration.jwtPrivateKeyFile = path }
        if let seconds = try integer("ACCESS_TOKEN_TTL_SECONDS", 60...86_400) { configuration.accessTokenTTLSeconds = Int(seconds) }
        if let seconds = try integer("SESSION_TTL_SECONDS", 3_600...(86_400 * 365)) { configuration.sessionTTLSeconds = Int(seconds) }
        if let count = try integer("SIGN_IN_ATTEMPTS_PER_MINUTE", 1...10_000) { configuration.signInAttemptsPerMinute = Int(count) }
        if let count = try integer("CREATIONS_PER_MINUTE", 1...100_000) { configuration.creationsPerMinute = Int(count) }
        if let count = try integer("EXPORTS_PER_HOUR", 1...10_000) { configuration.exportsPerHour = Int(count) }
        switch environment["ENVIRONMENT"] ?? "" {
        case "", "development": configuration.developmentMode = true
        case "production": configuration.developmentMode = false
        case let other: throw Invalid(description: "ENVIRONMENT=\(other): expected development or production")
        }
        if let flag = environment["WEBHOOK_ALLOW_PRIVATE_ADDRESSES"], !flag.isEmpty {
            guard let value = Bool(flag.lowercased()) else { throw Invalid(description: "WEBHOOK_ALLOW_PRIVATE_ADDRESSES=\(flag): expected true or false") }
            configuration.webhooks.allowsPrivateAddresses = value
        }
        if let secret = environment["PAYMENT_PROVIDER_SECRET"], !secret.isEmpty {
            guard secret.utf8.count >= 16 else { throw Invalid(description: "PAYMENT_PROVIDER_SECRET: expected at least 16 characters") }
            configuration.paymentProviderSecret = secret
        }
        if let url = environment["CHECKOUT_URL"], !url.isEmpty {
            guard let parsed = URL(string: url), parsed.scheme != nil else { throw Invalid(description: "CHECKOUT_URL=\(url): expected an absolute URL") }
            configuration.checkoutURL = url.hasSuffix("/") ? String(url.dropLast()) : url
        }
        if let count = try integer("WORKER_CONCURRENCY", 0...64) { configuration.workerConcurrency = Int(count) }
        if let emails = environment["ADMIN_EMAILS"], !emails.isEmpty {
            configuration.adminEmails = emails.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            guard configuration.adminEmails.allSatisfy({ $0.contains("@") }) else {
                throw Invalid(description: "ADMIN_EMAILS=\(emails): expected comma-separated email addresses")
            }
        }
        if let days = try integer("AUDIT_LOG_RETENTION_DAYS", 1...36_500) { configuration.auditLogRetentionDays = Int(days) }
        if let count = try integer("WEBHOOK_CONCURRENCY", 1...256) { configuration.webhooks.concurrency = Int(count) }
        if let count = try integer("WEBHOOK_MAX_ATTEMPTS", 1...50) { configuration.webhooks.maxAttempts = Int(count) }
        if let text = environment["WEBHOOK_RETRY_SCHEDULE"], !text.isEmpty {
            guard let schedule = WebhookRetrySchedule(parsing: text) else {
                throw Invalid(description: "WEBHOOK_RETRY_SCHEDULE=\(text): expected waits like 1m,2m,5m,15m,30m,60m (units ms, s, m, h)")
            }
            configuration.webhooks.retry = schedule
        }
        if let seconds = try integer("WEBHOOK_TIMEOUT_SECONDS", 1...300) { configuration.webhooks.requestTimeout = .seconds(seconds) }
        if let seconds = try integer("WORKER_LEASE_SECONDS", 1...3_600) { configuration.workerLeaseSeconds = Int(seconds) }
        if let milliseconds = try integer("WORKER_POLL_MS", 10...60_000) { configuration.workerPollMilliseconds = Int(milliseconds) }
        if let directory = environment["VIDEO_BOOTSTRAP_DIR"], !directory.isEmpty { configuration.video.bootstrapDirectory = directory }
        switch environment["VIDEO_BOOTSTRAP"] ?? "" {
        case "", "on": configuration.video.bootstraps = true
        case "off": configuration.video.bootstraps = false
        case let other: throw Invalid(description: "VIDEO_BOOTSTRAP=\(other): expected on or off")
        }
        if environment["VIDEO"] == "off" {
            configuration.video.bootstraps = false
        } else {
            configuration.video.tools = (try? FFmpegTools.locate()) ?? FFmpegBootstrap(directory: configuration.video.bootstrapDirectory).existing()
        }
        if let bytes = try integer("VIDEO_MAX_BYTES", 1...(2 << 30)) { configuration.video.maxBytes = bytes }
        if let pixels = try integer("VIDEO_MAX_PIXELS", 1...(7_680 * 4_320)) { configuration.video.maxPixels = pixels }
        if let seconds = try integer("VIDEO_MAX_DURATION_SECONDS", 1...(6 * 3_600)) { configuration.video.maxDurationSeconds = Int(seconds) }
        if let rate = try integer("VIDEO_MAX_FRAME_RATE", 1...1_000) { configuration.video.maxFrameRate = Double(rate) }
        if let bytes = try integer("VIDEO_CHUNK_BYTES", (64 << 10)...(25 << 20)) { configuration.video.chunkBytes = bytes }
        if let bytes = try integer("VIDEO_PART_BYTES", (5 << 20)...(1 << 30)) { configuration.video.partBytes = bytes }
        if let seconds = try integer("VIDEO_UPLOAD_WINDOW_SECONDS", 60...(7 * 86_400)) { configuration.video.uploadWindowSeconds = Int(seconds) }
        if let count = try integer("VIDEO_WORKER_CONCURRENCY", 0...16) { configuration.video.workerConcurrency = Int(count) }
        if let flag = environment["VALIDATE_RESPONSES"], !flag.isEmpty {
            guard let value = Bool(flag.lowercased()) else { throw Invalid(description: "VALIDATE_RESPONSES=\(flag): expected true or false") }
            configuration.validateResponses = value
        }
        return configuration
    }
}
