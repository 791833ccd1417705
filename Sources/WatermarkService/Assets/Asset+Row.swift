import WatermarkAPI
import WatermarkDatabase

extension Asset {
    /// An `assets` row as the API shows it.
    init(_ row: AssetRow) {
        self.init(
            id: row.id, fileName: row.fileName, contentType: ContentType(rawValue: row.contentType) ?? .imagePng,
            mediaType: MediaType(rawValue: row.mediaType) ?? .image, sizeBytes: row.sizeBytes,
            status: AssetStatus(rawValue: row.status) ?? .pendingUpload, width: row.width.map(Int.init), height: row.height.map(Int.init),
            createdAt: row.createdAt, uploadedAt: row.uploadedAt, durationMs: row.durationMs)
    }
}

extension UploadProgress {
    /// How much of the upload of an `assets` row has arrived (all of it once UPLOADED).
    init(_ row: AssetRow) {
        self.init(
            assetId: row.id, receivedBytes: row.status == "UPLOADED" ? row.sizeBytes : row.receivedBytes, sizeBytes: row.sizeBytes,
            status: AssetStatus(rawValue: row.status) ?? .pendingUpload)
    }
}
