import ContractRuntime
import Foundation
import Logging
import PostgresSupport
import ServiceLifecycle
import WatermarkDatabase

/// Removes what has outlived its promise, every `interval`: the stored files of results past their
/// expiry (`RESULT_TTL_SECONDS`; the task keeps its row, and asking for the result afterwards says
/// it expired and was removed), and idempotency keys past their replay window; and announces
/// results about to expire (`task.result_expiring`, `reminderLead` before, once each). `watermark
/// serve` runs it (several may: removing a file twice is harmless, and each row is marked once).
struct ExpiredDataSweeper: Service {
    let database: Database
    let storage: any ObjectStorage
    var interval: Duration = .seconds(300)
    /// Results handled per database round; a sweep repeats rounds until none is left.
    var batch = 100
    /// Idempotency keys deleted per statement; a sweep repeats statements until none is left.
    var keyBatch = 1_000
    /// How long before a result's expiry its owner's webhooks hear `task.result_expiring`; 0: never.
    var reminderLead: TimeInterval = 3_600
    /// How long a video upload may take (`VideoSettings.uploadWindowSeconds`); an asset still pending after it is abandoned.
    var uploadWindow: TimeInterval = 6 * 3_600

    func run() async throws {
        await repeatUntilShutdown(every: interval, logger: database.logger, failure: "sweeping expired data failed") {
            let swept = try await sweep()
            if swept.results + swept.idempotencyKeys > 0 {
                database.logger.info("expired data removed", metadata: ["results": "\(swept.results)", "idempotency_keys": "\(swept.idempotencyKeys)"])
            }
        }
    }

    /// One sweep: removes every expired result file (its row is marked after the file is gone, so
    /// a failed removal is tried again next time) and the expired idempotency keys, in batches, and
    /// forgets rate-limit windows older than a day (the longest window is an hour) and dead-letter
    /// previews a day after they expired (until then a replay of one says it expired); returns how
    /// many results and keys.
    func sweep() async throws -> (results: Int, idempotencyKeys: Int) {
        try await remindExpiringResults()
        var results = 0
        while true {
            let expired = try await database.withSystemStatements { try await NamedQueries($0).expiredResults(limit: Int64(batch)) }
            for row in expired {
                if let key = row.resultKey { try await storage.delete(key) }
                results += try await database.withSystemStatements { try await NamedQueries($0).markResultRemoved(id: row.id) }
            }
            if expired.count < batch { break }
        }
        try await abandonExpiredUploads()
        var keys = 0
        while true {
            let deleted = try await database.withSystemStatements { try await NamedQueries($0).deleteExpiredIdempotencyKeys(limit: Int64(keyBatch)) }
            keys += deleted
            if deleted < keyBatch { break }
        }
        _ = try await database.withSystemStatements { try await NamedQueries($0).deleteExpiredRateLimitWindows(olderThanSeconds: 86_400) }
        _ = try await database.withSystemStatements { try await NamedQueries($0).purgeDeadLetterPreviews(olderThanSeconds: 86_400) }
        return (results, keys)
    }

    /// Video uploads whose window is over: the asset DELETED, the bytes it received removed (chunks on the local
    /// backend, an object that reached the store but was never checked). Returns how many.
    @discardableResult
    func abandonExpiredUploads() async throws -> Int {
        var abandoned = 0
        while true {
            let rows = try await database.withSystemStatements {
                try await NamedQueries($0).abandonExpiredUploads(ageSeconds: uploadWindow, limit: Int64(batch))
            }
            for row in rows {
                if let local = storage as? LocalStorage { try await local.discardChunks(of: row.storageKey) }
                if let store = storage as? S3Storage, let uploadID = row.uploadId { try await store.abortMultipartUpload(row.storageKey, uploadID: uploadID) }
                try await storage.delete(row.storageKey)
            }
            abandoned += rows.count
            if rows.count < batch { return abandoned }
        }
    }

    /// Announces the results that expire within `reminderLead`, in batches: each marked and its
    /// `task.result_expiring` event written in one transaction, so an event exists exactly once.
    /// Returns how many.
    @discardableResult
    func remindExpiringResults() async throws -> Int {
        guard reminderLead > 0 else { return 0 }
        var reminded = 0
        while true {
            let count = try await database.withContext(.system) { context in
                let tasks = try await NamedQueries(context).remindExpiringResults(leadSeconds: reminderLead, limit: Int64(batch))
                for task in tasks {
                    let expiry = task.resultExpireAt.map(\.json) ?? .null
                    try await TaskOutbox.publish("task.result_expiring", task, extra: [("resultExpireAt", expiry)], in: context)
                }
                return tasks.count
            }
            reminded += count
            if count < batch { return reminded }
        }
    }
}
