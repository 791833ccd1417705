import PostgresSupport
import WatermarkAPI
import WatermarkDatabase

extension Asset {
    /// An `assets` row as the API shows it.
    init(_ row: AssetRow) throws {
        self.init(
            id: row.id, fileName: row.fileName, contentType: try converted(row.contentType),
            mediaType: try converted(row.mediaType), sizeBytes: row.sizeBytes,
            status: try converted(row.status), width: row.width.map(Int.init), height: row.height.map(Int.init),
            createdAt: row.createdAt, uploadedAt: row.uploadedAt, durationMs: row.durationMs)
    }
}

extension UploadProgress {
    /// How much of the upload of an `assets` row has arrived (all of it once UPLOADED).
    init(_ row: AssetRow) throws {
        self.init(
            assetId: row.id, receivedBytes: row.status == .uploaded ? row.sizeBytes : row.receivedBytes, sizeBytes: row.sizeBytes,
            status: try converted(row.status))
    }
}
