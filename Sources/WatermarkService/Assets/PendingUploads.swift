import Foundation
import PostgresSupport
import WatermarkDatabase

/// Uploads that bypass this service — a presigned PUT straight to an S3-compatible store — are
/// noticed when the asset is next used: its object is read back, passed through `AssetIntake`, and
/// the asset marked UPLOADED; a refused object is deleted, so the client may upload again while
/// its URL is valid.
struct PendingUploads: Sendable {
    let database: Database
    let storage: any ObjectStorage
    let intake: AssetIntake
    /// Checks videos; nil when the deployment takes none.
    let videoIntake: VideoIntake?

    enum Outcome {
        case uploaded(AssetRow)
        case notYet
        case rejected(AssetIntake.Rejection)
    }

    /// What became of `asset` (PENDING_UPLOAD when read).
    func check(_ asset: AssetRow) async throws -> Outcome {
        if asset.mediaType == .video { return try await checkVideo(asset) }
        let bytes: [UInt8]?
        do {
            bytes = try await storage.read(asset.storageKey, maxBytes: Int(asset.sizeBytes))
        } catch StorageError.tooLarge {
            try await storage.delete(asset.storageKey)
            return .rejected(.largerThanDeclared(declared: asset.sizeBytes))
        }
        guard let bytes else { return .notYet }
        let size: (width: Int32, height: Int32)
        do {
            size = try intake.inspect(bytes, for: asset)
        } catch {
            try await storage.delete(asset.storageKey)
            return .rejected(error)
        }
        return try await mark(asset, width: size.width, height: size.height, durationMs: nil)
    }

    /// A video uploaded straight to the store: copied to a scratch file and checked there (never whole in memory
    /// on the local backend; S3 objects go through memory for now, see `ObjectStorage.download`).
    private func checkVideo(_ asset: AssetRow) async throws -> Outcome {
        guard let videoIntake else { return .rejected(.unusableVideo("this deployment does not process video")) }
        let directory = try ScratchDirectory(kind: "intake")
        defer { directory.remove() }
        let scratch = directory.file("upload")
        do {
            guard try await storage.download(asset.storageKey, to: scratch, maxBytes: asset.sizeBytes) else { return .notYet }
        } catch StorageError.tooLarge {
            try await storage.delete(asset.storageKey)
            return .rejected(.largerThanDeclared(declared: asset.sizeBytes))
        }
        let accepted: VideoIntake.Accepted
        do {
            accepted = try await ComputeQueue.run { () throws(AssetIntake.Rejection) -> VideoIntake.Accepted in
                try videoIntake.inspect(file: scratch, for: asset)
            }
        } catch let rejection as AssetIntake.Rejection {
            try await storage.delete(asset.storageKey)
            return .rejected(rejection)
        }
        return try await mark(asset, width: accepted.width, height: accepted.height, durationMs: accepted.durationMs)
    }

    private func mark(_ asset: AssetRow, width: Int32, height: Int32, durationMs: Int64?) async throws -> Outcome {
        let row: AssetRow? = try await database.withContext(.system) { context in
            // Nil: another request finished it first.
            if let marked = try await NamedQueries(context).markAssetUploaded(id: asset.id, width: width, height: height, durationMs: durationMs) {
                return marked
            }
            return try await AssetRepository(context).find(id: asset.id)
        }
        return row.map(Outcome.uploaded) ?? .notYet
    }
}
