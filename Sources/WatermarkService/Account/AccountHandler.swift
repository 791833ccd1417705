import ContractRuntime
import ContractServer
import Crypto
import Foundation
import Hummingbird
import NIOCore
import PostgresSupport
import WatermarkAPI
import WatermarkDatabase

/// The `account` operations: exporting the caller's data as one JSON document, and asking for the
/// account to be deleted (after a 7-day grace period; `AccountPurge` does the deletion).
///
/// An export is built at once (the data of one account is small) and is READY in the response;
/// its archive is kept `exportLifetime` and downloaded through a signed link.
struct AccountHandler<Context: RequestContext>: AccountAPI {
    let database: Database
    let storage: any ObjectStorage
    let signer: StorageURLSigner
    let idempotency: IdempotentRequests
    let limits: RateLimits
    let liveness: SessionLiveness
    let exportLifetime: TimeInterval = 7 * 86_400
    /// How long after a deletion request the account is deleted (`ACCOUNT_DELETION_GRACE_HOURS`).
    let deletionGrace: TimeInterval

    init(database: Database, storage: any ObjectStorage, auth: AuthServices, deletionGrace: TimeInterval) {
        self.deletionGrace = deletionGrace
        self.database = database
        self.storage = storage
        signer = auth.urlSigner
        idempotency = auth.idempotency
        limits = auth.limits
        liveness = auth.liveness
    }

    func requestAccountExport(_ input: Operations.RequestAccountExport.Input, context: Context) async throws -> Operations.RequestAccountExport.Output {
        typealias Failure = Operations.RequestAccountExport.Failure
        let user = input.principal.subject
        try await limits.exports.admit("export:\(user)", what: "account exports requested", else: Failure.self)
        let export = try await idempotency.run(.user(user), key: input.idempotencyKey, operation: "requestAccountExport", request: .object(JSONObject()), status: 202, conflict: Failure.conflict) { context in
            let id = UUID()
            let key = "exports/\(user.uuidString.lowercased())/\(id.uuidString.lowercased()).json"
            let archive = JSONSerializer.serialize(try await AccountArchive.build(for: user, in: context))
            // Written before the row commits: a failed commit leaves an unreferenced file, never a READY export without one.
            try await storage.write(key, archive, contentType: "application/json")
            let row = try await AccountExportRepository(context).insert(NewAccountExport(
                id: id, userId: user, status: .ready, storageKey: key, expireAt: Date().addingTimeInterval(exportLifetime), finishedAt: Date()))
            return try view(row)
        }
        return .accepted(export)
    }

    func getAccountExport(_ input: Operations.GetAccountExport.Input, context: Context) async throws -> Operations.GetAccountExport.Output {
        typealias Failure = Operations.GetAccountExport.Failure
        let user = input.principal.subject
        let row = try await database.withContext(.user(user)) { context in
            try await AccountExportRepository(context).find(id: input.exportId)
        }
        guard let row else { throw Failure.notFound("no such export") }
        return .ok(try view(row))
    }

    func downloadAccountExport(_ input: Operations.DownloadAccountExport.Input, context: Context) async throws -> Operations.DownloadAccountExport.Output {
        typealias Failure = Operations.DownloadAccountExport.Failure
        try signer.admit(
            method: "GET", path: LocalStorage.exportPath(input.exportId), expires: input.expires, signature: input.signature,
            what: "the download link", else: Failure.self)
        let row = try await database.withContext(.system) { context in
            try await AccountExportRepository(context).find(id: input.exportId)
        }
        guard let row, row.status == .ready, let key = row.storageKey, let expiry = row.expireAt, expiry > Date(),
              let bytes = try await storage.read(key, maxBytes: 1 << 30)
        else { throw Failure.notFound("the export no longer exists") }
        return .ok(ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    func requestAccountDeletion(_ input: Operations.RequestAccountDeletion.Input, context: Context) async throws -> Operations.RequestAccountDeletion.Output {
        typealias Failure = Operations.RequestAccountDeletion.Failure
        let user = input.principal.subject
        // System scope (the audit record is not the user's to write); the key is still the user's.
        let deletion = try await idempotency.run(.system, keyOwner: user, key: input.idempotencyKey, operation: "requestAccountDeletion", request: input.body.json, status: 202, conflict: Failure.conflict) { context in
            guard var row = try await UserRepository(context).find(id: user) else { throw Failure.unauthenticated() }
            if row.status == .active {
                row.status = .deletionScheduled
                row.deletionScheduledFor = Date().addingTimeInterval(deletionGrace)
                row = try await UserRepository(context).update(row)
                try await NamedQueries(context).revokeUserSessions(userId: user, revokedReason: .accountDeletion)
                try await cancelUnfinishedTasks(of: user, in: context)
                _ = try await NamedQueries(context).appendAuditLog(
                    actorId: user, action: "account.deletion_requested", targetType: "user", targetId: user.uuidString.lowercased(),
                    detail: .object(JSONObject([("reason", input.body.reason.map(JSONValue.string) ?? .null), ("scheduledFor", row.deletionScheduledFor!.json)])),
                    requestId: input.xRequestId)
            }
            let scheduled = row.deletionScheduledFor ?? Date()
            return AccountDeletion(requestedAt: scheduled.addingTimeInterval(-deletionGrace), scheduledFor: scheduled)
        }
        // Signed out at once in this process (other processes within their session cache's 10 s).
        liveness.revokedAll(of: user)
        return .accepted(deletion)
    }

    /// Cancels `user`'s tasks that have not finished, releasing their quota (workers stop at their next step).
    private func cancelUnfinishedTasks(of user: UUID, in context: RepositoryContext) async throws {
        let open = try await NamedQueries(context).listUserTasks(userId: user, status: nil, afterCreatedAt: nil, afterId: UUID(), limit: 10_000)
            .filter { !TaskStateMachine.finished.contains($0.status) }
        for task in open {
            let canceled = try await TaskStateMachine.move(task, to: .canceled, by: .user, in: context)
            try await QuotaLedger.settle(task: canceled.id, succeeded: false, in: context)
            try await TaskOutbox.publish("task.canceled", canceled, in: context)
        }
    }

    private func view(_ row: AccountExportRow) throws -> AccountExport {
        var status: ExportStatus = try converted(row.status)
        var link: String?
        if status == .ready, let key = row.storageKey, let expiry = row.expireAt {
            if expiry > Date() {
                link = storage.downloadURL(.accountExport(row.id), key: key, expires: min(Date().addingTimeInterval(DownloadTarget.linkLifetime), expiry))
            } else {
                status = .expired
            }
        }
        var export = try AccountExport(row: row, downloadUrl: link)
        export.status = status
        return export
    }
}
