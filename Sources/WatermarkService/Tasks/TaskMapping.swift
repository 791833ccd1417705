import Foundation
import PostgresSupport
import WatermarkAPI
import WatermarkDatabase

/// Task rows as the API shows them.
enum TaskMapping {
    static func task(_ row: TaskRow) throws -> TaskModel {
        TaskModel(
            id: row.id, assetId: row.assetId, mediaType: try converted(row.mediaType),
            mode: try converted(row.mode), status: try converted(row.status),
            progress: Int(row.progress), version: row.version, attempt: Int(row.attempt), autoDetect: row.autoDetect,
            maskVersion: row.maskVersion, errorCode: row.errorCode.map(Int.init), errorMessage: row.errorMessage,
            resultExpireAt: row.status == .succeeded ? row.resultExpireAt : nil, createdAt: row.createdAt, updatedAt: row.updatedAt,
            finishedAt: row.finishedAt)
    }

    static func event(_ row: TaskEventRow) throws -> TaskEvent {
        TaskEvent(
            sequence: row.sequence, taskId: row.taskId, status: try converted(row.status),
            progress: Int(row.progress), errorCode: row.errorCode.map { .value(Int($0)) }, at: row.createdAt)
    }
}
