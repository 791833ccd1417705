import Foundation
import Logging
import PostgresNIO
import SQLSyntax

/// Applies and reverts the migrations of a `MigrationSet` against one database: each migration in
/// its own transaction, recorded with its checksum in `schema_migrations`, under a PostgreSQL
/// advisory lock so that runners started together (several service instances) apply each migration once.
public struct MigrationRunner: Sendable {
    /// One row of `status`.
    public struct Status: Sendable, Hashable {
        public var version: Int
        public var name: String
        public var appliedAt: Date?
    }

    /// The advisory lock key every runner takes ("watermig" in ASCII).
    public static let lockKey: Int64 = 0x7761_7465_726D_6967

    public let client: PostgresClient
    public let migrations: MigrationSet
    public let logger: Logger

    public init(client: PostgresClient, migrations: MigrationSet, logger: Logger = Logger(label: "migrations")) {
        self.client = client
        self.migrations = migrations
        self.logger = logger
    }

    /// Applies every pending migration up to `target` (all when nil); returns those applied.
    @discardableResult
    public func up(to target: Int? = nil) async throws -> [Migration] {
        if let target, target != 0, !migrations.migrations.contains(where: { $0.version == target }) { throw MigrationError.unknownTarget(target) }
        return try await locked { connection in
            let applied = try await verifiedApplied(connection)
            var done: [Migration] = []
            for migration in migrations.migrations where applied[migration.version] == nil && migration.version <= (target ?? Int.max) {
                try await run(migration, direction: "up", script: migration.up, on: connection) { connection in
                    try await connection.query(
                        "INSERT INTO schema_migrations (version, name, checksum) VALUES (\(migration.version), \(migration.name), \(migration.checksum))",
                        logger: logger)
                }
                logger.info("applied migration", metadata: ["version": "\(migration.version)", "name": "\(migration.name)"])
                done.append(migration)
            }
            return done
        }
    }

    /// Reverts applied migrations above `target` (0 reverts all), newest first; returns those reverted.
    @discardableResult
    public func down(to target: Int) async throws -> [Migration] {
        if target != 0, !migrations.migrations.contains(where: { $0.version == target }) { throw MigrationError.unknownTarget(target) }
        return try await locked { connection in
            let applied = try await verifiedApplied(connection)
            var done: [Migration] = []
            for migration in migrations.migrations.reversed() where applied[migration.version] != nil && migration.version > target {
                try await run(migration, direction: "down", script: migration.down, on: connection) { connection in
                    try await connection.query("DELETE FROM schema_migrations WHERE version = \(migration.version)", logger: logger)
                }
                logger.info("reverted migration", metadata: ["version": "\(migration.version)", "name": "\(migration.name)"])
                done.append(migration)
            }
            return done
        }
    }

    /// Every known migration and when it was applied (nil: pending).
    public func status() async throws -> [Status] {
        try await locked { connection in
            let applied = try await verifiedApplied(connection)
            return migrations.migrations.map { Status(version: $0.version, name: $0.name, appliedAt: applied[$0.version]) }
        }
    }

    // MARK: - Steps

    private func locked<Result: Sendable>(_ body: (PostgresConnection) async throws -> Result) async throws -> Result {
        try await client.withConnection { connection in
            try await connection.query("SELECT pg_advisory_lock(\(Self.lockKey))", logger: logger)
            do {
                try await connection.query(
                    """
                    CREATE TABLE IF NOT EXISTS schema_migrations (
                        version integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL,
                        applied_at timestamptz NOT NULL DEFAULT now())
                    """, logger: logger)
                let result = try await body(connection)
                try await connection.query("SELECT pg_advisory_unlock(\(Self.lockKey))", logger: logger)
                return result
            } catch {
                _ = try? await connection.query("SELECT pg_advisory_unlock(\(Self.lockKey))", logger: logger)
                throw error
            }
        }
    }

    /// Applied versions with their time, after checking each against the files.
    private func verifiedApplied(_ connection: PostgresConnection) async throws -> [Int: Date] {
        var applied: [Int: Date] = [:]
        let rows = try await connection.query("SELECT version, name, checksum, applied_at FROM schema_migrations ORDER BY version", logger: logger)
        for try await (version, name, checksum, appliedAt) in rows.decode((Int, String, String, Date).self) {
            guard let migration = migrations.migrations.first(where: { $0.version == version }) else {
                throw MigrationError.unknownApplied(version: version, name: name)
            }
            guard migration.checksum == checksum else { throw MigrationError.editedAfterApply(version: version, name: migration.name) }
            applied[version] = appliedAt
        }
        return applied
    }

    private func run(
        _ migration: Migration, direction: String, script: String, on connection: PostgresConnection,
        record: (PostgresConnection) async throws -> Void
    ) async throws {
        do {
            try await connection.withTransaction(logger: logger) { connection in
                let statements: [String]
                do {
                    statements = try SQLStatement.split(script).map(\.text)
                } catch {
                    throw MigrationError.failed(
                        version: migration.version, name: migration.name, direction: direction, statement: "",
                        reason: "cannot read the script at \(error)")
                }
                for statement in statements {
                    do {
                        try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                    } catch let error as PSQLError {
                        throw MigrationError.failed(
                            version: migration.version, name: migration.name, direction: direction, statement: statement,
                            reason: error.serverInfo?[.message] ?? String(reflecting: error))
                    }
                }
                try await record(connection)
            }
        } catch let error as PostgresTransactionError {
            throw error.closureError ?? error.commitError ?? error
        }
    }
}
