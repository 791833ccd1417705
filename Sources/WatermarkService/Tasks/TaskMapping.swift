import Foundation
import PostgresSupport
import WatermarkAPI
import WatermarkDatabase

/// Task rows as the API shows them.
enum TaskMapping {
    static func task(_ row: TaskRow) throws -> TaskModel {
        var task = try TaskModel(row: row)
        // A result's expiry is shown only while there is a result.
        if row.status != .succeeded { task.resultExpireAt = nil }
        return task
    }

    static func event(_ row: TaskEventRow) throws -> TaskEvent {
        TaskEvent(
            sequence: row.sequence, taskId: row.taskId, status: try converted(row.status),
            progress: Int(row.progress), errorCode: row.errorCode.map { .value(Int($0)) }, at: row.createdAt)
    }
}
