import ContractRuntime
import Foundation
import Logging
import PostgresSupport
import ServiceLifecycle
import WatermarkDatabase

/// Deletes the accounts whose deletion grace period has passed: the user row and, through its
/// foreign keys, every row of theirs (sessions, assets, tasks, masks, events, ledger, payments,
/// exports, webhooks), then their stored files; an audit record stays. `watermark serve` runs it
/// every `interval` (so an account goes at most that long after its scheduled time).
struct AccountPurge: Service {
    let database: Database
    let storage: any ObjectStorage
    var interval: Duration = .seconds(900)

    func run() async throws {
        await repeatUntilShutdown(every: interval, logger: database.logger, failure: "account purge failed") {
            _ = try await purgeDue()
        }
    }

    /// Deletes every account due at `now`; returns their ids.
    func purgeDue(now: Date = Date()) async throws -> [UUID] {
        var purged: [UUID] = []
        while true {
            let batch: [(UUID, [String])] = try await database.withContext(.system) { context in
                let queries = NamedQueries(context)
                var batch: [(UUID, [String])] = []
                for due in try await queries.dueAccountDeletions(deletionScheduledFor: now, limit: 20) {
                    let keys = try await queries.userStorageKeys(userId: due.id)
                    let files = (keys?.assetKeys ?? []) + (keys?.resultKeys ?? []) + (keys?.exportKeys ?? [])
                    guard try await UserRepository(context).delete(id: due.id) else { continue }
                    _ = try await queries.appendAuditLog(
                        actorId: nil, action: "account.deleted", targetType: "user", targetId: due.id.uuidString.lowercased(),
                        detail: .object(JSONObject([("filesRemoved", .integer(Int64(files.count)))])), requestId: nil)
                    batch.append((due.id, files))
                }
                return batch
            }
            if batch.isEmpty { return purged }
            // After the commit: a failed removal leaves an orphan file (logged), never data of a deleted user in the database.
            for (user, files) in batch {
                for key in files {
                    do { try await storage.delete(key) } catch {
                        database.logger.error("could not remove \(key) of deleted user \(user): \(error)")
                    }
                }
                purged.append(user)
            }
        }
    }
}
