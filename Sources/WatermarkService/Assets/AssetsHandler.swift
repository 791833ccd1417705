import ContractRuntime
import ContractServer
import Foundation
import Hummingbird
import InpaintCore
import NIOCore
import PostgresSupport
import WatermarkAPI
import WatermarkDatabase

/// The `assets` operations: reserving an asset with a presigned upload URL, reading it back,
/// proposing a mask by auto-detection, deleting it with every task made from it, and —
/// on the local storage backend — the signed upload and result-download routes themselves.
///
/// An asset is PENDING_UPLOAD until its bytes arrive and pass `AssetIntake` (declared size and
/// type, sniffed from the bytes; SHA-256 when declared; decodes within the pixel limit), then
/// UPLOADED; a second upload to the same URL is 42201. Uploads straight to object storage are
/// checked the same way when the asset is next read or used (`PendingUploads`).
struct AssetsHandler<Context: RequestContext>: AssetsAPI {
    let database: Database
    let storage: any ObjectStorage
    let signer: StorageURLSigner
    let idempotency: IdempotentRequests
    let limits: RateLimits
    let intake: AssetIntake
    let pending: PendingUploads
    let maxUploadBytes: Int64
    let maxPixels: Int
    let uploadLifetime: TimeInterval

    init(database: Database, storage: any ObjectStorage, auth: AuthServices, pending: PendingUploads, configuration: ServiceConfiguration) {
        self.database = database
        self.storage = storage
        signer = auth.urlSigner
        idempotency = auth.idempotency
        limits = auth.limits
        intake = pending.intake
        self.pending = pending
        maxUploadBytes = configuration.maxUploadBytes
        maxPixels = Int(configuration.maxPixels)
        uploadLifetime = TimeInterval(configuration.uploadPolicyTTLSeconds)
    }

    func createUploadPolicy(_ input: Operations.CreateUploadPolicy.Input, context: Context) async throws -> Operations.CreateUploadPolicy.Output {
        typealias Failure = Operations.CreateUploadPolicy.Failure
        guard let user = input.principal.userID else { throw Failure.unauthenticated() }
        try await limits.creations.admit("upload-policy:\(user)", what: "upload policies created", else: Failure.self)
        let request = input.body
        guard request.sizeBytes <= maxUploadBytes else {
            throw Failure.payloadTooLarge("\(request.sizeBytes) bytes is more than the \(maxUploadBytes) allowed")
        }
        let policy = try await idempotency.run(.user(user), key: input.idempotencyKey, operation: "createUploadPolicy", request: request.json, status: 201, conflict: Failure.conflict) { context in
            let id = UUID()
            let asset = try await AssetRepository(context).insert(NewAsset(
                id: id, userId: user, fileName: request.fileName, contentType: request.contentType.rawValue, mediaType: "IMAGE",
                sizeBytes: request.sizeBytes, sha256: request.sha256, storageKey: "assets/\(id.uuidString.lowercased())"))
            let expires = Date().addingTimeInterval(uploadLifetime)
            return UploadPolicy(
                assetId: asset.id, uploadUrl: storage.uploadURL(for: asset.id, key: asset.storageKey, contentType: asset.contentType, expires: expires),
                method: .put, headers: ["Content-Type": asset.contentType], expireAt: expires)
        }
        return .created(policy)
    }

    func getAsset(_ input: Operations.GetAsset.Input, context: Context) async throws -> Operations.GetAsset.Output {
        guard let user = input.principal.userID else { throw Operations.GetAsset.Failure.unauthenticated() }
        let row = try await database.withContext(.user(user)) { context in
            try await AssetRepository(context).find(id: input.assetId)
        }
        guard var row, row.status != "DELETED" else { throw Operations.GetAsset.Failure.notFound("no such asset") }
        if row.status == "PENDING_UPLOAD", case .uploaded(let uploaded) = try await pending.check(row) { row = uploaded }
        return .ok(Asset(row))
    }

    func proposeMask(_ input: Operations.ProposeMask.Input, context: Context) async throws -> Operations.ProposeMask.Output {
        typealias Failure = Operations.ProposeMask.Failure
        guard let user = input.principal.userID else { throw Failure.unauthenticated() }
        let found = try await database.withContext(.user(user)) { context in
            try await AssetRepository(context).find(id: input.assetId)
        }
        guard var row = found, row.status != "DELETED" else { throw Failure.notFound("no such asset") }
        if row.status == "PENDING_UPLOAD", case .uploaded(let uploaded) = try await pending.check(row) { row = uploaded }
        guard row.status == "UPLOADED" else { throw Failure.preconditionFailed("the asset's file has not been uploaded yet") }
        guard let bytes = try await storage.read(row.storageKey, maxBytes: Int(maxUploadBytes)) else {
            throw Failure.notFound("the asset's file is missing from storage")
        }
        let options = DecodeOptions(maxPixels: maxPixels)
        // Detection runs where the workers' image work runs: a burst of proposals queues there, not on the event loop.
        let proposal = try await ComputeQueue.run { () throws -> MaskProposal in
            let image = try ImageCodec.decode(bytes, options: options)
            return MaskProposal(try WatermarkDetector.propose(in: image), width: image.width, height: image.height)
        }
        return .ok(proposal)
    }

    func deleteAsset(_ input: Operations.DeleteAsset.Input, context: Context) async throws -> Operations.DeleteAsset.Output {
        typealias Failure = Operations.DeleteAsset.Failure
        guard let user = input.principal.userID else { throw Failure.unauthenticated() }
        // A worker may move one of its tasks between the read and the cancel: the whole deletion is tried again.
        let files = try await TaskRemoval.rereadingStaleTasks {
            // System scope: the audit record is not the user's to write. Ownership is checked here.
            try await database.withContext(.system) { context -> [String] in
                // Marked first, in one statement: the row lock makes task creations and uploads on it
                // wait, and later ones find it DELETED.
                guard let asset = try await NamedQueries(context).markAssetDeleted(id: input.assetId, userId: user) else {
                    throw Failure.notFound("no such asset")
                }
                var files = [asset.storageKey]
                var tasks: [JSONValue] = []
                for task in try await NamedQueries(context).listAssetTasks(assetId: asset.id) {
                    guard let (statusBefore, taskFiles) = try await TaskRemoval.delete(task, in: context) else { continue }
                    files += taskFiles
                    tasks.append(.object(JSONObject([("id", .string(task.id.uuidString.lowercased())), ("status", .string(statusBefore.rawValue))])))
                }
                _ = try await NamedQueries(context).appendAuditLog(
                    actorId: user, action: "asset.deleted", targetType: "asset", targetId: asset.id.uuidString.lowercased(),
                    detail: .object(JSONObject([("tasks", .array(tasks)), ("filesRemoved", .array(files.map(JSONValue.string)))])),
                    requestId: input.xRequestId)
                return files
            }
        }
        await TaskRemoval.removeFiles(files, from: storage, logger: database.logger, of: "deleted asset \(input.assetId)")
        return .noContent
    }

    func uploadAssetContent(_ input: Operations.UploadAssetContent.Input, context: Context) async throws -> Operations.UploadAssetContent.Output {
        typealias Failure = Operations.UploadAssetContent.Failure
        try signer.admit(
            method: "PUT", path: LocalStorage.uploadPath(input.assetId), expires: input.expires, signature: input.signature,
            what: "the upload URL (from an upload policy)", else: Failure.self)
        let bytes = Array(input.body.bytes.readableBytesView)
        let uploaded = try await database.withContext(.system) { context in
            guard let asset = try await AssetRepository(context).find(id: input.assetId), asset.status != "DELETED" else {
                throw Failure.notFound("no such asset")
            }
            guard asset.status == "PENDING_UPLOAD" else { throw Failure.preconditionFailed("the asset is already uploaded") }
            guard input.body.contentType == asset.contentType else {
                throw Failure.unsupportedMediaType("Content-Type \(input.body.contentType) is not the \(asset.contentType) declared in the upload policy")
            }
            let size: (width: Int32, height: Int32)
            do {
                size = try intake.inspect(bytes, for: asset)
            } catch let rejection as AssetIntake.Rejection {
                switch rejection {
                case .largerThanDeclared: throw Failure.payloadTooLarge(rejection.message)
                case .wrongType: throw Failure.unsupportedMediaType(rejection.message)
                default: throw Failure.invalidArgument(rejection.message, details: [FieldIssue(field: "/body", reason: rejection.message)])
                }
            }
            // Locks the row: a concurrent upload waits here, then finds the asset UPLOADED.
            guard let row = try await NamedQueries(context).markAssetUploaded(id: asset.id, width: size.width, height: size.height) else {
                throw Failure.preconditionFailed("the asset is already uploaded")
            }
            try await storage.write(row.storageKey, bytes, contentType: row.contentType)
            return row
        }
        return .ok(Asset(uploaded))
    }

    func downloadTaskResult(_ input: Operations.DownloadTaskResult.Input, context: Context) async throws -> Operations.DownloadTaskResult.Output {
        typealias Failure = Operations.DownloadTaskResult.Failure
        try signer.admit(
            method: "GET", path: LocalStorage.resultPath(input.taskId), expires: input.expires, signature: input.signature,
            what: "the download link", else: Failure.self)
        let task = try await database.withContext(.system) { context in
            try await TaskRepository(context).find(id: input.taskId)
        }
        guard let task, task.status == .succeeded, let key = task.resultKey, let contentType = task.resultContentType,
              let expiry = task.resultExpireAt, expiry > Date(),
              let bytes = try await storage.read(key, maxBytes: Int(clamping: task.resultSizeBytes ?? 0))
        else { throw Failure.notFound("the result no longer exists") }
        return .ok(RawContent(contentType: contentType, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes))))
    }
}
