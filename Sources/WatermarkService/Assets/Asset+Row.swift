import WatermarkAPI
import WatermarkDatabase

extension Asset {
    /// An `assets` row as the API shows it.
    init(_ row: AssetRow) {
        self.init(
            id: row.id, fileName: row.fileName, contentType: ContentType(rawValue: row.contentType) ?? .imagePng,
            mediaType: MediaType(rawValue: row.mediaType) ?? .image, sizeBytes: row.sizeBytes,
            status: AssetStatus(rawValue: row.status) ?? .pendingUpload, width: row.width.map(Int.init), height: row.height.map(Int.init),
            createdAt: row.createdAt, uploadedAt: row.uploadedAt)
    }
}
