import PostgresSupport
import WatermarkAPI
import WatermarkDatabase

extension UploadProgress {
    /// How much of the upload of an `assets` row has arrived (all of it once UPLOADED).
    init(_ row: AssetRow) throws {
        self.init(
            assetId: row.id, receivedBytes: row.status == .uploaded ? row.sizeBytes : row.receivedBytes, sizeBytes: row.sizeBytes,
            status: try converted(row.status))
    }
}
