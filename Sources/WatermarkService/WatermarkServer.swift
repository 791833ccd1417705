import ContractServer
import EmbeddedPostgres
import Foundation
import Hummingbird
import Logging
import PostgresNIO
import PostgresSupport
import ServiceLifecycle
import WatermarkAPI
import WatermarkDatabase
import WatermarkWeb

/// The watermark service: its database (embedded PostgreSQL 15 unless `DATABASE_URL` is set),
/// local storage, and the contract's routes served by Hummingbird until SIGINT or SIGTERM, when
/// in-flight requests finish and connections close.
public enum WatermarkServer {
    /// The role the service connects as on the embedded database: not a superuser and without
    /// BYPASSRLS, so row-level security applies to every query it makes.
    public static let serviceRole = "watermark_service"

    /// The routes of every operation implemented so far, plus request ids, error envelopes,
    /// `/openapi.json` and `/docs`.
    public static func router(
        configuration: ServiceConfiguration, database: Database, storage: any ObjectStorage, auth: AuthServices,
        metrics: ServiceMetrics = ServiceMetrics(), announcements: TaskEventAnnouncements = TaskEventAnnouncements()
    ) throws -> Router<BasicRequestContext> {
        let server = ContractServer(
            errors: ErrorCode.standard,
            configuration: .init(
                maxUploadBytes: Int(configuration.maxUploadBytes), validateResponses: configuration.validateResponses,
                authenticator: auth.authenticator, logger: database.logger))
        let router = Router()
        // Outermost: the request's span (continuing a W3C `traceparent`), so every log line of the
        // request, the access line included, carries its trace id.
        router.add(middleware: TracingMiddleware())
        router.add(middleware: RequestObserver(metrics: metrics))
        router.addContractSupport(server: server)
        OperabilityRoutes.add(to: router, database: database, metrics: metrics)
        router.addSystemAPI(SystemHandler(configuration: configuration, database: database, storage: storage), server: server)
        router.addAuthAPI(try AuthHandler(database: database, auth: auth), server: server)
        // Uploads made straight to object storage are checked when their asset is next read or used.
        let pending = PendingUploads(
            database: database, storage: storage, intake: AssetIntake(maxPixels: configuration.maxPixels),
            videoIntake: configuration.video.tools.map { VideoIntake(tools: $0, settings: configuration.video) })
        router.addAssetsAPI(AssetsHandler(database: database, storage: storage, auth: auth, pending: pending, configuration: configuration), server: server)
        router.addTasksAPI(TasksHandler(database: database, storage: storage, auth: auth, pending: pending, metrics: metrics, announcements: announcements), server: server)
        router.addAccountAPI(AccountHandler(
            database: database, storage: storage, auth: auth, deletionGrace: TimeInterval(configuration.accountDeletionGraceHours) * 3_600), server: server)
        router.addBillingAPI(BillingHandler(database: database, idempotency: auth.idempotency, configuration: configuration), server: server)
        router.addWebhooksAPI(WebhooksHandler(database: database, auth: auth, configuration: configuration), server: server)
        router.addAdminAPI(AdminHandler(database: database, auth: auth), server: server)
        // The web app at `/`, allowed to reach the storage the API hands out URLs of.
        let storageOrigins = [configuration.s3?.endpoint, configuration.publicURL].compactMap { $0.flatMap(WebAppRoutes.origin(of:)) }
        WebAppRoutes.add(to: router, assets: try WebAssets.bundled(), storageOrigins: storageOrigins)
        return router
    }

    /// Prepares the database and storage, then serves until a shutdown signal. `tracing`, when
    /// given, exports spans: it runs first, so it stops last and flushes what the rest recorded.
    public static func run(_ configuration: ServiceConfiguration, logger: Logger, tracing: (any Service)? = nil) async throws {
        var configuration = configuration
        configuration.video = await configuration.video.bootstrapped(logger: logger)
        ScratchDirectory.sweep(logger: logger)
        let migrations = try configuration.migrationsDirectory.map { try MigrationSet.load(directory: $0) }
            ?? DatabaseMigrations.all
        var embedded: EmbeddedPostgres?
        defer { embedded?.stop() }
        let postgres: PostgresClient.Configuration
        let databaseDescription: String
        if let url = configuration.databaseURL {
            postgres = try DatabaseURL.configuration(url)
            try await PostgresClient.withRunning(postgres, logger: logger) { client in
                try await MigrationRunner(client: client, migrations: migrations, logger: logger).up()
                try await warnIfRowLevelSecurityIsBypassed(client, logger: logger)
            }
            databaseDescription = "DATABASE_URL"
        } else {
            let cluster = try EmbeddedPostgres.start(logger: logger)
            embedded = cluster
            try await cluster.createDatabase("watermark", logger: logger)
            try await PostgresClient.withRunning(cluster.configuration(database: "watermark"), logger: logger) { client in
                try await MigrationRunner(client: client, migrations: migrations, logger: logger).up()
                try await createServiceRole(client, logger: logger)
            }
            var service = cluster.configuration(database: "watermark")
            service.username = serviceRole
            postgres = service
            databaseDescription = "embedded PostgreSQL 15 at \(cluster.socketDirectory) (deleted on exit)"
        }

        var pooled = postgres
        pooled.options.maximumConnections = configuration.databasePoolSize
        let client = PostgresClient(configuration: pooled, backgroundLogger: logger)
        let systemClient = PostgresClient(configuration: pooled.systemSession, backgroundLogger: logger)
        let database = Database(
            client: client, systemClient: systemClient, logger: logger, connectionWait: .milliseconds(configuration.databaseWaitMilliseconds))
        let metrics = ServiceMetrics()
        // Requests take turns at the database (one per pooled connection, a bounded queue behind);
        // the workers and periodic jobs use it without the gate.
        let admission = ConnectionAdmission(
            capacity: configuration.databasePoolSize, queueLimit: configuration.databaseQueueLimit, onShed: { metrics.databaseRequestShed() })
        let requests = database.admitting(through: admission, waitingAtMost: .milliseconds(configuration.databaseQueueWaitMilliseconds))
        let address = "http://\(configuration.host):\(configuration.port)"
        let auth = try await AuthServices.make(configuration, database: requests)
        let storage = try await makeStorage(configuration, auth: auth)
        let announcements = TaskEventAnnouncements()
        var services: [any Service] = (tracing.map { [$0] } ?? []) + [
            client, systemClient, AccountPurge(database: database, storage: storage),
            TaskEventListener.make(client: client, announcements: announcements, logger: logger),
            SessionRevocationListener.make(client: systemClient, liveness: auth.liveness, logger: logger),
            AuditLogRetention(database: database, retention: TimeInterval(configuration.auditLogRetentionDays) * 86_400),
            ExpiredDataSweeper(
                database: database, storage: storage, reminderLead: TimeInterval(configuration.resultExpiryReminderSeconds),
                uploadWindow: TimeInterval(configuration.video.uploadWindowSeconds)),
        ]
        if configuration.workerConcurrency > 0 {
            services += backgroundWork(database: database, storage: storage, configuration: configuration, metrics: metrics)
        }
        let workers = configuration.workerConcurrency > 0
            ? "\(configuration.workerConcurrency) in this process (WORKER_CONCURRENCY)"
            : "none in this process (WORKER_CONCURRENCY=0): run `watermark worker`"
        let video = configuration.video.tools.map { "FFmpeg at \($0.ffmpeg), \(configuration.video.workerConcurrency) video task(s) at once" }
            ?? "off (no ffmpeg/ffprobe in WATERMARK_FFMPEG_DIR or PATH; Debian: apt-get install ffmpeg)"
        let app = Application(
            router: try router(configuration: configuration, database: requests, storage: storage, auth: auth, metrics: metrics, announcements: announcements),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "watermark"),
            services: services,
            onServerRunning: { _ in
                // Written straight to the file descriptor: `print` is buffered when stdout is not a terminal.
                FileHandle.standardOutput.write(Data("""
                watermark serving \(address)
                  web app:   \(address)/
                  API:       \(address)/v1 (every operation of the contract)
                  reference: \(address)/docs
                  contract:  \(address)/openapi.json
                  operators: \(address)/healthz, /readyz, /metrics
                  database:  \(databaseDescription)
                  storage:   \(storage.location)
                  tokens:    signed with \(auth.keySource)
                  workers:   \(workers)
                  video:     \(video)
                Ctrl-C stops it (in-flight requests finish first).

                """.utf8))
            },
            logger: logger)
        try await app.runService()
    }

    /// Runs task workers only, against the database and storage a `watermark serve` uses (so
    /// `DATABASE_URL` is required: an embedded database lives inside its own process), until
    /// SIGINT or SIGTERM; the task in hand is finished first. `tracing` as for `run`.
    public static func runWorkers(_ configuration: ServiceConfiguration, logger: Logger, tracing: (any Service)? = nil) async throws {
        var configuration = configuration
        configuration.video = await configuration.video.bootstrapped(logger: logger)
        ScratchDirectory.sweep(logger: logger)
        guard let url = configuration.databaseURL else {
            throw ServiceConfiguration.Invalid(description: "watermark worker needs DATABASE_URL: the database of the `watermark serve` it works for")
        }
        guard configuration.workerConcurrency > 0 else {
            throw ServiceConfiguration.Invalid(description: "WORKER_CONCURRENCY=0: a worker process needs at least 1")
        }
        var postgres = try DatabaseURL.configuration(url)
        // The same pool size as `serve`'s (DATABASE_POOL_SIZE), per pool.
        postgres.options.maximumConnections = configuration.databasePoolSize
        let client = PostgresClient(configuration: postgres, backgroundLogger: logger)
        let systemClient = PostgresClient(configuration: postgres.systemSession, backgroundLogger: logger)
        let database = Database(
            client: client, systemClient: systemClient, logger: logger, connectionWait: .milliseconds(configuration.databaseWaitMilliseconds))
        let auth = try await AuthServices.make(configuration, database: database)
        let storage = try await makeStorage(configuration, auth: auth)
        let work = backgroundWork(database: database, storage: storage, configuration: configuration, metrics: ServiceMetrics())
        let services: [any Service] = (tracing.map { [$0] } ?? []) + [client, systemClient] + work
        let group = ServiceGroup(configuration: .init(
            services: services.map { .init(service: $0) }, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }

    /// What runs beside the API (or in `watermark worker`): the task workers, the outbox dispatcher
    /// and the webhook sender. Each shares its queue with other processes through SKIP LOCKED.
    static func backgroundWork(
        database: Database, storage: any ObjectStorage, configuration: ServiceConfiguration, metrics: ServiceMetrics
    ) -> [any Service] {
        [
            TaskWorker(database: database, storage: storage, configuration: configuration, settings: configuration.workerSettings, metrics: metrics),
            OutboxDispatcher(database: database, consumers: [WebhookFanOut()], settings: configuration.webhooks, logger: database.logger, metrics: metrics),
            WebhookSender(database: database, settings: configuration.effectiveWebhooks, metrics: metrics, logger: database.logger),
        ]
    }

    /// The configured storage backend, ready to use: the local directory, or the S3 bucket (created
    /// when missing; an unreachable store stops the start with its error).
    public static func makeStorage(_ configuration: ServiceConfiguration, auth: AuthServices) async throws -> any ObjectStorage {
        guard let settings = configuration.s3 else {
            return try LocalStorage(root: configuration.storageDirectory, publicURL: configuration.baseURL, signer: auth.urlSigner)
        }
        let storage = try S3Storage(settings)
        try await storage.prepareBucket()
        return storage
    }

    /// Creates the service's role on a fresh database (embedded PostgreSQL, tests, benchmarks).
    public static func createServiceRole(_ client: PostgresClient, logger: Logger) async throws {
        for statement in [
            "CREATE ROLE \(serviceRole) LOGIN NOSUPERUSER NOBYPASSRLS",
            "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO \(serviceRole)",
            "GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO \(serviceRole)",
        ] {
            try await client.query(PostgresQuery(unsafeSQL: statement), logger: logger)
        }
    }

    /// Row-level security does not apply to superusers or BYPASSRLS roles; say so loudly.
    private static func warnIfRowLevelSecurityIsBypassed(_ client: PostgresClient, logger: Logger) async throws {
        let rows = try await client.query("SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user", logger: logger)
        for try await bypasses in rows.decode(Bool.self) where bypasses {
            logger.warning("DATABASE_URL connects as a superuser or BYPASSRLS role: row-level security does not protect users' rows from each other; use an ordinary role")
        }
    }
}
