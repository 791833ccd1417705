import ContractRuntime
import Foundation
import InpaintCore
import PostgresSupport
import WatermarkAPI
import WatermarkDatabase

/// A task's mask: the checks the schema cannot express, and saving it, which queues the task.
enum TaskMasks {
    /// What is wrong with `mask` beyond its schema (which already keeps every point inside the
    /// 1920×1080 canvas and asks for at least one shape): a polygon that covers no pixel of the
    /// canvas as the worker rasterises it (even-odd rule), so a self-intersecting one counts by what
    /// it fills, not by its signed area (42205). Pointers start at `base`.
    static func issues(_ mask: MaskInput, at base: String) -> [FieldIssue] {
        func flat(_ polygons: [MaskPolygon]?, at base: String) -> [FieldIssue] {
            (polygons ?? []).enumerated().compactMap { index, polygon in
                let points = polygon.points.map { CanvasPoint(x: $0.x, y: $0.y) }
                return InpaintCore.TaskMask.polygonCoversAPixel(points, rule: .evenOdd)
                    ? nil : FieldIssue(field: "\(base)/polygons/\(index)/points", reason: "the polygon covers no pixel (it encloses no area)")
            }
        }
        return flat(mask.polygons, at: base)
            + (mask.timeRanges ?? []).enumerated().flatMap { index, range in flat(range.polygons, at: "\(base)/timeRanges/\(index)") }
    }

    /// What is wrong with `mask`'s time ranges for a task on a `mediaType` asset (the API's 42207): ranges on an
    /// image, ranges beside shapes for the whole video, a range that ends before it starts, ranges out of time order
    /// or overlapping. Pointers start at `base`.
    static func timeRangeIssues(_ mask: MaskInput, mediaType: String, at base: String) -> [FieldIssue] {
        guard let ranges = mask.timeRanges else { return [] }
        guard mediaType == "VIDEO" else { return [FieldIssue(field: "\(base)/timeRanges", reason: "time ranges are for videos only")] }
        var issues: [FieldIssue] = []
        if mask.polygons != nil || mask.strokes != nil {
            issues.append(FieldIssue(field: "\(base)/timeRanges", reason: "give shapes for the whole video or per time range, not both"))
        }
        var previousEnd: Int64? = 0
        for (index, range) in ranges.enumerated() {
            if let end = range.endMs, end <= range.startMs {
                issues.append(FieldIssue(field: "\(base)/timeRanges/\(index)/endMs", reason: "ends before it starts (\(end) ≤ \(range.startMs))"))
            }
            if previousEnd.map({ range.startMs < $0 }) ?? true {
                issues.append(FieldIssue(field: "\(base)/timeRanges/\(index)/startMs", reason: "overlaps the range before it: ranges go in time order without overlapping"))
            }
            previousEnd = range.endMs
        }
        return issues
    }

    /// Saves `mask` as `task`'s next mask version and queues the task (only an UPLOADED task takes
    /// a mask; `TaskStateMachine` refuses the rest). The task row is written first: of two
    /// concurrent saves, the second finds its version stale before touching the mask.
    static func save(_ mask: MaskInput, for task: TaskRow, in context: RepositoryContext) async throws -> TaskRow {
        let version = task.maskVersion + 1
        let queued = try await TaskStateMachine.move(task, to: .queued, by: .user, in: context) { $0.maskVersion = version }
        let shapes = stored(mask)
        let masks = TaskMaskRepository(context)
        if var stored = try await masks.find(taskId: task.id) {
            stored.polygons = shapes.polygons
            stored.strokes = shapes.strokes
            stored.timeRanges = shapes.timeRanges
            _ = try await masks.update(stored)
        } else {
            _ = try await masks.insert(NewTaskMask(
                taskId: task.id, userId: task.userId, version: version, polygons: shapes.polygons, strokes: shapes.strokes,
                timeRanges: shapes.timeRanges))
        }
        return queued
    }

    /// `mask`'s shapes as the `task_masks` columns store them.
    static func stored(_ mask: MaskInput) -> (polygons: JSONValue, strokes: JSONValue, timeRanges: JSONValue) {
        (.array((mask.polygons ?? []).map(\.json)), .array((mask.strokes ?? []).map(\.json)), .array((mask.timeRanges ?? []).map(\.json)))
    }

    /// The stored mask as the API shows it.
    static func mask(_ row: TaskMaskRow) throws -> WatermarkAPI.TaskMask {
        func decoded<Shape: ContractCodable>(_ json: JSONValue, as: Shape.Type) throws -> [Shape] {
            guard case .array(let items) = json else { return [] }
            return try items.map { try Shape.decode(json: $0) }
        }
        return WatermarkAPI.TaskMask(
            row: row, polygons: try decoded(row.polygons, as: MaskPolygon.self), strokes: try decoded(row.strokes, as: BrushStroke.self),
            timeRanges: try decoded(row.timeRanges, as: MaskTimeRange.self))
    }
}
