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

    enum Outcome {
        case uploaded(AssetRow)
        case notYet
        case rejected(AssetIntake.Rejection)
    }

    /// What became of `asset` (PENDING_UPLOAD when read).
    func check(_ asset: AssetRow) async throws -> Outcome {
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
        let row: AssetRow? = try await database.withContext(.system) { context in
            // Nil: another request finished it first.
            if let marked = try await NamedQueries(context).markAssetUploaded(id: asset.id, width: size.width, height: size.height) { return marked }
            return try await AssetRepository(context).find(id: asset.id)
        }
        return row.map(Outcome.uploaded) ?? .notYet
    }
}
