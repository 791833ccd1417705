import ContractRuntime
import ContractServer
import Crypto
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
    /// Video limits and FFmpeg (no video without it).
    let video: VideoSettings

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
        video = configuration.video
    }

    func createUploadPolicy(_ input: Operations.CreateUploadPolicy.Input, context: Context) async throws -> Operations.CreateUploadPolicy.Output {
        typealias Failure = Operations.CreateUploadPolicy.Failure
        let user = input.principal.subject
        try await limits.creations.admit("upload-policy:\(user)", what: "upload policies created", else: Failure.self)
        let request = input.body
        let isVideo = VideoSettings.contentTypes.contains(request.contentType.rawValue)
        if isVideo, video.tools == nil {
            throw Failure.unsupportedMediaType("this deployment does not process video (FFmpeg is not installed); system capabilities list what it takes")
        }
        let limit = isVideo ? video.maxBytes : maxUploadBytes
        guard request.sizeBytes <= limit else {
            throw Failure.payloadTooLarge("\(request.sizeBytes) bytes is more than the \(limit) allowed for \(isVideo ? "a video" : "an image")")
        }
        // Videos on the local backend arrive in resumable chunks; elsewhere (and images everywhere) in one PUT.
        let chunked = isVideo && storage is LocalStorage
        let policy = try await idempotency.run(.user(user), key: input.idempotencyKey, operation: "createUploadPolicy", request: request.json, status: 201, conflict: Failure.conflict) { context in
            let id = UUID()
            let asset = try await AssetRepository(context).insert(NewAsset(
                id: id, userId: user, fileName: request.fileName, contentType: try converted(request.contentType), mediaType: isVideo ? .video : .image,
                sizeBytes: request.sizeBytes, sha256: request.sha256, storageKey: "assets/\(id.uuidString.lowercased())"))
            let expires = Date().addingTimeInterval(isVideo ? TimeInterval(video.uploadWindowSeconds) : uploadLifetime)
            return UploadPolicy(
                assetId: asset.id, uploadUrl: storage.uploadURL(for: asset.id, key: asset.storageKey, contentType: asset.contentType.rawValue, expires: expires),
                method: chunked ? .patch : .put,
                headers: ["Content-Type": chunked ? "application/octet-stream" : asset.contentType.rawValue],
                chunkBytes: chunked ? video.chunkBytes : nil, partBytes: isVideo && storage is S3Storage ? video.partBytes : nil,
                expireAt: expires)
        }
        return .created(policy)
    }

    func getAsset(_ input: Operations.GetAsset.Input, context: Context) async throws -> Operations.GetAsset.Output {
        let user = input.principal.subject
        guard let row = try await visibleAsset(input.assetId, of: user) else { throw Operations.GetAsset.Failure.notFound("no such asset") }
        return .ok(try Asset(row: row))
    }

    func getAssetDownload(_ input: Operations.GetAssetDownload.Input, context: Context) async throws -> Operations.GetAssetDownload.Output {
        typealias Failure = Operations.GetAssetDownload.Failure
        let user = input.principal.subject
        guard let row = try await visibleAsset(input.assetId, of: user) else { throw Failure.notFound("no such asset") }
        guard row.status == .uploaded, let contentType = ContentType(rawValue: row.contentType.rawValue) else {
            throw Failure.preconditionFailed("the asset's file has not been uploaded yet")
        }
        let expires = Date().addingTimeInterval(DownloadTarget.linkLifetime)
        return .ok(AssetDownload(
            assetId: row.id, url: storage.downloadURL(.assetOriginal(row.id), key: row.storageKey, expires: expires),
            contentType: contentType, sizeBytes: row.sizeBytes, expireAt: expires))
    }

    /// `user`'s asset `id` as they see it now: nil when there is none or it was deleted; one whose bytes have arrived
    /// since it was created is checked and settled first (as UPLOADED, or refused).
    private func visibleAsset(_ id: UUID, of user: UUID) async throws -> AssetRow? {
        let found = try await database.withContext(.user(user)) { context in
            try await AssetRepository(context).find(id: id)
        }
        guard var row = found, row.status != .deleted else { return nil }
        if row.status == .pendingUpload, case .uploaded(let uploaded) = try await pending.check(row) { row = uploaded }
        return row
    }

    func proposeMask(_ input: Operations.ProposeMask.Input, context: Context) async throws -> Operations.ProposeMask.Output {
        typealias Failure = Operations.ProposeMask.Failure
        let user = input.principal.subject
        guard let row = try await visibleAsset(input.assetId, of: user) else { throw Failure.notFound("no such asset") }
        guard row.status == .uploaded else { throw Failure.preconditionFailed("the asset's file has not been uploaded yet") }
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
        let user = input.principal.subject
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
            guard let asset = try await AssetRepository(context).find(id: input.assetId), asset.status != .deleted else {
                throw Failure.notFound("no such asset")
            }
            guard asset.status == .pendingUpload else { throw Failure.preconditionFailed("the asset is already uploaded") }
            guard input.body.contentType == asset.contentType.rawValue else {
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
            guard let row = try await NamedQueries(context).markAssetUploaded(id: asset.id, width: size.width, height: size.height, durationMs: nil) else {
                throw Failure.preconditionFailed("the asset is already uploaded")
            }
            try await storage.write(row.storageKey, bytes, contentType: row.contentType.rawValue)
            return row
        }
        return .ok(try Asset(row: uploaded))
    }

    func listUploadParts(_ input: Operations.ListUploadParts.Input, context: Context) async throws -> Operations.ListUploadParts.Output {
        typealias Failure = Operations.ListUploadParts.Failure
        let user = input.principal.subject
        let (asset, uploadID, store) = try await database.withContext(.system) { context -> (AssetRow, String, S3Storage) in
            guard let asset = try await NamedQueries(context).lockPendingUpload(id: input.assetId), asset.userId == user, asset.status != .deleted else {
                throw Failure.notFound("no such asset")
            }
            guard let store = storage as? S3Storage else {
                throw Failure.preconditionFailed(Self.partsAreForObjectStorage)
            }
            guard asset.status == .pendingUpload, asset.mediaType == .video else {
                throw Failure.preconditionFailed(asset.status == .pendingUpload ? "an image is uploaded in one PUT" : "the asset is already uploaded")
            }
            // An upload the store no longer knows (refused on completion, or expired there) is started afresh.
            if let open = asset.uploadId, try await store.storedParts(asset.storageKey, uploadID: open) != nil { return (asset, open, store) }
            let started = try await store.startMultipartUpload(asset.storageKey, contentType: asset.contentType.rawValue)
            _ = try await NamedQueries(context).setAssetUploadId(id: asset.id, uploadId: started)
            return (asset, started, store)
        }
        let received = try await store.storedParts(asset.storageKey, uploadID: uploadID) ?? []
        let partCount = Int((asset.sizeBytes + video.partBytes - 1) / video.partBytes)
        let expires = asset.createdAt.addingTimeInterval(TimeInterval(video.uploadWindowSeconds))
        let first = input.fromPart, last = min(partCount, input.fromPart + input.count - 1)
        let urls = first <= last
            ? (first...last).map { UploadPartUrl(partNumber: $0, url: store.partURL(asset.storageKey, uploadID: uploadID, number: $0, expires: expires)) }
            : []
        return .ok(UploadParts(
            assetId: asset.id, partBytes: video.partBytes, partCount: partCount,
            received: received.map { UploadPart(partNumber: $0.number, sizeBytes: $0.size, etag: $0.etag) }, urls: urls, expireAt: expires))
    }

    func completeUpload(_ input: Operations.CompleteUpload.Input, context: Context) async throws -> Operations.CompleteUpload.Output {
        typealias Failure = Operations.CompleteUpload.Failure
        let user = input.principal.subject
        let (store, intake) = (storage as? S3Storage, video.tools.map { VideoIntake(tools: $0, settings: video) })
        let partBytes = video.partBytes
        let request = JSONValue.object(JSONObject([("assetId", .string(input.assetId.uuidString.lowercased()))]))
        let row = try await idempotency.run(
            .system, keyOwner: user, key: input.idempotencyKey, operation: "completeUpload", request: request, status: 200, conflict: Failure.conflict
        ) { context -> Asset in
            guard let asset = try await NamedQueries(context).lockPendingUpload(id: input.assetId), asset.userId == user, asset.status != .deleted else {
                throw Failure.notFound("no such asset")
            }
            guard asset.status == .pendingUpload else { throw Failure.preconditionFailed("the asset is already uploaded") }
            guard let store, let intake else {
                throw Failure.preconditionFailed(Self.partsAreForObjectStorage)
            }
            guard let uploadID = asset.uploadId, let parts = try await store.storedParts(asset.storageKey, uploadID: uploadID) else {
                throw Failure.preconditionFailed("no multipart upload is open for this asset: ask listUploadParts first")
            }
            let problems = MultipartPlan(size: asset.sizeBytes, partBytes: partBytes).problems(with: parts)
            guard problems.isEmpty else {
                throw Failure.invalidArgument("the parts do not make up the declared file", details: problems.map { FieldIssue(field: "/parts/\($0.number)", reason: $0.reason) })
            }
            try await store.completeMultipartUpload(asset.storageKey, uploadID: uploadID, parts: parts)
            let directory = try ScratchDirectory(kind: "intake")
            defer { directory.remove() }
            let scratch = directory.file("upload")
            let accepted: VideoIntake.Accepted
            do {
                _ = try await store.download(asset.storageKey, to: scratch, maxBytes: asset.sizeBytes)
                accepted = try await ComputeQueue.run { () throws(AssetIntake.Rejection) -> VideoIntake.Accepted in
                    try intake.inspect(file: scratch, for: asset)
                }
            } catch let rejection as AssetIntake.Rejection {
                // Refused whole: the object goes; the next listUploadParts starts a new upload.
                try await store.delete(asset.storageKey)
                switch rejection {
                case .wrongType: throw Failure.unsupportedMediaType(rejection.message)
                default: throw Failure.invalidArgument(rejection.message, details: [FieldIssue(field: "/body", reason: rejection.message)])
                }
            } catch StorageError.tooLarge {
                try await store.delete(asset.storageKey)
                throw Failure.invalidArgument("the joined parts are larger than the \(asset.sizeBytes) bytes declared")
            }
            guard let uploaded = try await NamedQueries(context).markAssetUploaded(
                id: asset.id, width: accepted.width, height: accepted.height, durationMs: accepted.durationMs)
            else { throw Failure.preconditionFailed("the asset is already uploaded") }
            return try Asset(row: uploaded)
        }
        return .ok(row)
    }

    func getUploadProgress(_ input: Operations.GetUploadProgress.Input, context: Context) async throws -> Operations.GetUploadProgress.Output {
        typealias Failure = Operations.GetUploadProgress.Failure
        try signer.admit(
            method: "PUT", path: LocalStorage.uploadPath(input.assetId), expires: input.expires, signature: input.signature,
            what: "the upload URL (from an upload policy)", else: Failure.self)
        let asset = try await database.withContext(.system) { context in
            try await AssetRepository(context).find(id: input.assetId)
        }
        guard let asset, asset.status != .deleted else { throw Failure.notFound("no such asset") }
        return .ok(try UploadProgress(asset))
    }

    func uploadAssetChunk(_ input: Operations.UploadAssetChunk.Input, context: Context) async throws -> Operations.UploadAssetChunk.Output {
        typealias Failure = Operations.UploadAssetChunk.Failure
        // The upload URL's signature (made for PUT) is the credential for every step of the upload.
        try signer.admit(
            method: "PUT", path: LocalStorage.uploadPath(input.assetId), expires: input.expires, signature: input.signature,
            what: "the upload URL (from an upload policy)", else: Failure.self)
        guard let local = storage as? LocalStorage, let tools = video.tools else {
            throw Failure.notFound("this deployment takes no chunked uploads (its storage is not local, or it has no video)")
        }
        let chunk = input.body.bytes
        guard chunk.readableBytes <= video.chunkBytes else {
            throw Failure.payloadTooLarge("the chunk has \(chunk.readableBytes) bytes, more than the \(video.chunkBytes) of the upload policy")
        }
        guard SHA256.hash(data: chunk.readableBytesView).hexDigits == input.chunkSha256 else {
            throw Failure.invalidArgument(
                "the chunk's SHA-256 is not Chunk-SHA256: it was damaged on the way; send it again",
                details: [FieldIssue(field: "/header/Chunk-SHA256", reason: "does not match the chunk's bytes")])
        }
        let intake = VideoIntake(tools: tools, settings: video)
        let outcome = try await database.withContext(.system) { context -> ChunkOutcome in
            guard let asset = try await NamedQueries(context).lockPendingUpload(id: input.assetId), asset.status != .deleted else {
                throw Failure.notFound("no such asset")
            }
            guard asset.status == .pendingUpload else { throw Failure.preconditionFailed("the asset is already uploaded") }
            guard asset.mediaType == .video else {
                throw Failure.unsupportedMediaType("an image is uploaded in one PUT with its own content type, not in chunks")
            }
            guard input.uploadOffset == asset.receivedBytes else {
                throw Failure.conflict("the upload has \(asset.receivedBytes) bytes, not \(input.uploadOffset): send from offset \(asset.receivedBytes)")
            }
            let received = input.uploadOffset + Int64(chunk.readableBytes)
            guard received <= asset.sizeBytes else {
                throw Failure.payloadTooLarge("the upload would have \(received) bytes, more than the \(asset.sizeBytes) declared")
            }
            try await local.appendChunk(chunk, at: input.uploadOffset, of: asset.storageKey)
            guard received == asset.sizeBytes else {
                guard let row = try await NamedQueries(context).recordReceivedBytes(id: asset.id, receivedBytes: received) else {
                    throw Failure.preconditionFailed("the asset is already uploaded")
                }
                return .stored(row)
            }
            let file = try local.partialFile(of: asset.storageKey)
            do {
                let accepted = try await ComputeQueue.run { () throws(AssetIntake.Rejection) -> VideoIntake.Accepted in
                    try intake.inspect(file: file, for: asset)
                }
                guard let row = try await NamedQueries(context).markAssetUploaded(
                    id: asset.id, width: accepted.width, height: accepted.height, durationMs: accepted.durationMs)
                else { throw Failure.preconditionFailed("the asset is already uploaded") }
                try await local.completeChunks(of: asset.storageKey)
                return .stored(row)
            } catch let rejection as AssetIntake.Rejection {
                // Refused whole: the bytes go and the upload may start again from 0 (kept by this transaction).
                try await local.discardChunks(of: asset.storageKey)
                _ = try await NamedQueries(context).recordReceivedBytes(id: asset.id, receivedBytes: 0)
                return .refused(rejection)
            }
        }
        switch outcome {
        case .stored(let row):
            return .ok(try UploadProgress(row))
        case .refused(let rejection):
            switch rejection {
            case .wrongType: throw Failure.unsupportedMediaType(rejection.message)
            default: throw Failure.invalidArgument(rejection.message, details: [FieldIssue(field: "/body", reason: rejection.message)])
            }
        }
    }

    /// Why the multipart operations refuse on the local backend (42201).
    static var partsAreForObjectStorage: String { "this deployment takes video uploads in chunks at the upload policy's URL (PATCH), not in parts" }

    /// How a chunk ended: stored (the upload's row after it), or the completed file refused.
    private enum ChunkOutcome: Sendable {
        case stored(AssetRow)
        case refused(AssetIntake.Rejection)
    }

    func downloadAssetContent(_ input: Operations.DownloadAssetContent.Input, context: Context) async throws -> Operations.DownloadAssetContent.Output {
        typealias Failure = Operations.DownloadAssetContent.Failure
        try signer.admit(
            method: "GET", path: LocalStorage.originalPath(input.assetId), expires: input.expires, signature: input.signature,
            what: "the download link", else: Failure.self)
        let asset = try await database.withContext(.system) { context in
            try await AssetRepository(context).find(id: input.assetId)
        }
        guard let asset, asset.status == .uploaded else { throw Failure.notFound("the file no longer exists") }
        return .ok(try await stored(asset.storageKey, contentType: asset.contentType.rawValue, sizeBytes: asset.sizeBytes, context: context) {
            Failure.notFound("the file no longer exists")
        })
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
              let expiry = task.resultExpireAt, expiry > Date()
        else { throw Failure.notFound("the result no longer exists") }
        return .ok(try await stored(key, contentType: contentType.rawValue, sizeBytes: task.resultSizeBytes ?? 0, context: context) {
            Failure.notFound("the result no longer exists")
        })
    }

    /// The stored object `key` as a response body: a local file streamed from disk (a video may be large), another
    /// store's object read whole (at most `sizeBytes`); `missing` when it is gone.
    private func stored(_ key: String, contentType: String, sizeBytes: Int64, context: Context,
                        missing: () -> some Error) async throws -> RawContent {
        if let local = storage as? LocalStorage, let path = try? local.filePath(of: key), FileManager.default.fileExists(atPath: path) {
            return RawContent(contentType: contentType, body: try await FileIO().loadFile(path: path, context: context))
        }
        guard let bytes = try await storage.read(key, maxBytes: Int(clamping: sizeBytes)) else { throw missing() }
        return RawContent(contentType: contentType, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
