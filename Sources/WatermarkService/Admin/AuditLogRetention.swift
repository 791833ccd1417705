import Foundation
import Logging
import PostgresSupport
import ServiceLifecycle
import WatermarkDatabase

/// Deletes audit log entries older than the retention (`AUDIT_LOG_RETENTION_DAYS`, 365 by
/// default), every `interval`. `watermark serve` runs it.
struct AuditLogRetention: Service {
    let database: Database
    let retention: TimeInterval
    var interval: Duration = .seconds(3_600)

    func run() async throws {
        await repeatUntilShutdown(every: interval, logger: database.logger, failure: "audit log retention sweep failed") {
            let removed = try await sweep()
            if removed > 0 { database.logger.info("audit log entries past their retention removed", metadata: ["count": "\(removed)"]) }
        }
    }

    /// Removes the entries created before `now - retention`; returns how many.
    func sweep(now: Date = Date()) async throws -> Int {
        try await database.withContext(.system) { context in
            try await NamedQueries(context).purgeAuditLogs(createdAt: now.addingTimeInterval(-retention))
        }
    }
}
