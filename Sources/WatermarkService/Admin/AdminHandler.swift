import ContractRuntime
import ContractServer
import Foundation
import Hummingbird
import NIOCore
import PostgresSupport
import WatermarkAPI
import WatermarkDatabase

/// The `admin` operations (the generated router lets only tokens with the `admin` role in; others
/// get 40301): tasks across users and a task's whole history, dead letters and their replay, the
/// audit log (search and export), and plans. Everything an administrator changes, previews or is
/// refused is written to the audit log with the administrator as actor.
struct AdminHandler<Context: RequestContext>: AdminAPI {
    let database: Database
    let idempotency: IdempotentRequests
    let replays: DeadLetterReplay

    init(database: Database, auth: AuthServices) {
        self.database = database
        idempotency = auth.idempotency
        replays = DeadLetterReplay(database: database)
    }

    // MARK: - Tasks

    func adminSearchTasks(_ input: Operations.AdminSearchTasks.Input, context: Context) async throws -> Operations.AdminSearchTasks.Output {
        typealias Failure = Operations.AdminSearchTasks.Failure
        let after = try RequestValues.keyset(input.cursor) { Failure.invalidArgument(details: $0) }
        let rows = try await database.withContext(.system) { context in
            try await NamedQueries(context).adminSearchTasks(
                userId: input.userId, status: input.status.flatMap { TaskStatusEnum(rawValue: $0.rawValue) }, from: input.from, to: input.to,
                limit: Int64(input.limit + 1), afterCreatedAt: after?.0, afterId: after?.1 ?? UUID(), errorCode: input.errorCode.map(Int32.init))
        }
        let next = RequestValues.nextCursor(rows, limit: input.limit) { ($0.createdAt, $0.id) }
        return .ok(AdminTaskPage(items: try rows.prefix(input.limit).map { AdminTask(userId: $0.userId, task: try TaskMapping.task($0)) }, nextCursor: next))
    }

    func adminGetTaskHistory(_ input: Operations.AdminGetTaskHistory.Input, context: Context) async throws -> Operations.AdminGetTaskHistory.Output {
        let history = try await database.withContext(.system) { context -> AdminTaskHistory? in
            guard let task = try await TaskRepository(context).find(id: input.taskId) else { return nil }
            let events = try await NamedQueries(context).listAllTaskEvents(taskId: task.id)
            return AdminTaskHistory(userId: task.userId, task: try TaskMapping.task(task), events: try events.map(TaskMapping.event))
        }
        guard let history else { throw Operations.AdminGetTaskHistory.Failure.notFound("no such task") }
        return .ok(history)
    }

    // MARK: - Dead letters

    func adminListDeadLetters(_ input: Operations.AdminListDeadLetters.Input, context: Context) async throws -> Operations.AdminListDeadLetters.Output {
        typealias Failure = Operations.AdminListDeadLetters.Failure
        let after = try RequestValues.keyset(input.cursor) { Failure.invalidArgument(details: $0) }
        let rows = try await database.withContext(.system) { context in
            try await NamedQueries(context).listDeadLetters(
                source: input.source?.rawValue, from: input.from, to: input.to, taskIds: input.taskIds, afterCreatedAt: after?.0,
                afterId: after?.1 ?? UUID(), limit: Int64(input.limit + 1))
        }
        let next = RequestValues.nextCursor(rows, limit: input.limit) { ($0.createdAt, $0.id) }
        return .ok(DeadLetterPage(items: try rows.prefix(input.limit).map(Self.deadLetter), nextCursor: next))
    }

    func adminPreviewDeadLetterReplay(
        _ input: Operations.AdminPreviewDeadLetterReplay.Input, context: Context
    ) async throws -> Operations.AdminPreviewDeadLetterReplay.Output {
        typealias Failure = Operations.AdminPreviewDeadLetterReplay.Failure
        let admin = input.principal.subject
        let request = input.body.json
        let letters = try await replays.select(input.body)
        let preview = try await idempotency.run(
            .system, keyOwner: admin, key: input.idempotencyKey, operation: "adminPreviewDeadLetterReplay", request: request, status: 200,
            conflict: Failure.conflict
        ) { context in
            let preview = try await replays.preview(letters, by: admin, in: context)
            var detail = JSONObject([("request", request), ("previewId", .string(preview.previewId.uuidString.lowercased()))])
            for outcome in [ReplayItem.Outcome.wouldReplay, .skipped] {
                detail[outcome.rawValue.lowercased()] = .integer(Int64(preview.items.filter { $0.outcome == outcome }.count))
            }
            try await Self.audit("dead_letters.preview", actor: admin, target: letters.count, detail: .object(detail), requestID: input.xRequestId, in: context)
            return preview
        }
        return .ok(preview)
    }

    func adminReplayDeadLetters(_ input: Operations.AdminReplayDeadLetters.Input, context: Context) async throws -> Operations.AdminReplayDeadLetters.Output {
        typealias Failure = Operations.AdminReplayDeadLetters.Failure
        let admin = input.principal.subject
        let body = input.body
        let request = body.json
        let cap = body.highConcurrency ? DeadLetterReplay.maximumConcurrency : DeadLetterReplay.standardConcurrency
        guard body.concurrency <= cap else {
            throw Failure.preconditionFailed("a concurrency above \(DeadLetterReplay.standardConcurrency) needs highConcurrency: true")
        }
        // Whether it may still be executed is decided when it is taken, inside the idempotent
        // transaction, so that a retry with the same key gets the stored answer.
        guard let preview = try await database.withContext(.system, { try await DeadLetterPreviewRepository($0).find(id: body.previewId) }) else {
            throw Failure.notFound("no such preview")
        }
        let chosen = body.deadLetterIds ?? preview.deadLetterIds
        let unpreviewed = Set(chosen).subtracting(preview.deadLetterIds)
        guard unpreviewed.isEmpty else {
            throw Failure.preconditionFailed(
                "\(unpreviewed.count) of the given dead letters were not found replayable by this preview; preview them first")
        }
        if body.highConcurrency, !body.confirm, chosen.count >= DeadLetterReplay.confirmationThreshold {
            // The refusal is audited in a transaction of its own: the request itself fails.
            try await database.withContext(.system) { context in
                try await Self.audit("dead_letters.replay_refused", actor: admin, target: chosen.count, detail: request, requestID: input.xRequestId, in: context)
            }
            throw Failure.preconditionFailed(
                "replaying \(chosen.count) dead letters at high concurrency needs confirm: true (\(DeadLetterReplay.confirmationThreshold) or more)")
        }
        let result = try await idempotency.run(
            .system, keyOwner: admin, key: input.idempotencyKey, operation: "adminReplayDeadLetters", request: request, status: 200,
            conflict: Failure.conflict
        ) { context in
            guard try await NamedQueries(context).takeDeadLetterPreview(id: preview.id) != nil else {
                throw Failure.preconditionFailed(
                    preview.executedAt != nil || preview.expiresAt > Date() ? "the preview was executed already" : "the preview expired; preview again")
            }
            let letters = try await NamedQueries(context).deadLettersByIds(id: chosen)
            let items = try await replays.replay(letters, concurrency: body.concurrency)
            var detail = JSONObject([("request", request)])
            for outcome in [ReplayItem.Outcome.replayed, .skipped] {
                detail[outcome.rawValue.lowercased()] = .integer(Int64(items.filter { $0.outcome == outcome }.count))
            }
            try await Self.audit("dead_letters.replay", actor: admin, target: letters.count, detail: .object(detail), requestID: input.xRequestId, in: context)
            return ReplayResult(previewId: preview.id, items: items)
        }
        return .ok(result)
    }

    // MARK: - Audit log

    func adminSearchAuditLogs(_ input: Operations.AdminSearchAuditLogs.Input, context: Context) async throws -> Operations.AdminSearchAuditLogs.Output {
        typealias Failure = Operations.AdminSearchAuditLogs.Failure
        var before: Int64?
        if let cursor = input.cursor {
            guard let id = try? KeysetCursor(cursor, count: 1).value(0, as: Int64.self) else {
                throw Failure.invalidArgument(details: [FieldIssue(field: "/query/cursor", reason: "is not a cursor this list issued")])
            }
            before = id
        }
        let rows = try await database.withContext(.system) { context in
            try await NamedQueries(context).searchAuditLogs(
                actorId: input.actorId, action: input.action, targetType: input.targetType, targetId: input.targetId, from: input.from, to: input.to,
                beforeId: before, limit: Int64(input.limit + 1))
        }
        let next = rows.count > input.limit ? KeysetCursor(values: [rows[input.limit - 1].id.keysetText]).description : nil
        return .ok(AuditLogPage(items: rows.prefix(input.limit).map(Self.auditLog), nextCursor: next))
    }

    func adminExportAuditLogs(_ input: Operations.AdminExportAuditLogs.Input, context: Context) async throws -> Operations.AdminExportAuditLogs.Output {
        typealias Failure = Operations.AdminExportAuditLogs.Failure
        let rows = try await database.withContext(.system) { context in
            try await NamedQueries(context).searchAuditLogs(
                actorId: input.actorId, action: input.action, targetType: input.targetType, targetId: input.targetId, from: input.from, to: input.to,
                beforeId: nil, limit: Int64(AuditLogExport.maximumRows + 1))
        }
        guard rows.count <= AuditLogExport.maximumRows else {
            throw Failure.invalidArgument(details: [FieldIssue(field: "/query/from", reason: "more than \(AuditLogExport.maximumRows) entries match; narrow the window")])
        }
        let entries = rows.map(Self.auditLog)
        let content = switch input.format {
        case .json: RawContent(contentType: "application/x-ndjson", body: ResponseBody(byteBuffer: ByteBuffer(bytes: AuditLogExport.ndjson(entries))))
        case .csv: RawContent(contentType: "text/csv", body: ResponseBody(byteBuffer: ByteBuffer(bytes: AuditLogExport.csv(entries))))
        }
        return .ok(content)
    }

    // MARK: - Plans

    func adminListPlans(_ input: Operations.AdminListPlans.Input, context: Context) async throws -> Operations.AdminListPlans.Output {
        typealias Failure = Operations.AdminListPlans.Failure
        var after: KeysetCursor?
        if let cursor = input.cursor {
            guard let parsed = try? KeysetCursor(cursor, count: 1) else {
                throw Failure.invalidArgument(details: [FieldIssue(field: "/query/cursor", reason: "is not a cursor this list issued")])
            }
            after = parsed
        }
        let page = try await database.withContext(.system) { context in
            try await PlanRepository(context).list(after: after, limit: input.limit)
        }
        return .ok(PlanPage(items: try page.rows.map(Plan.init(row:)), nextCursor: page.next?.description))
    }

    func adminCreatePlan(_ input: Operations.AdminCreatePlan.Input, context: Context) async throws -> Operations.AdminCreatePlan.Output {
        typealias Failure = Operations.AdminCreatePlan.Failure
        let admin = input.principal.subject
        let body = input.body
        let plan = try await idempotency.run(.system, keyOwner: admin, key: input.idempotencyKey, operation: "adminCreatePlan", request: body.json, status: 201, conflict: Failure.conflict) { context in
            guard try await PlanRepository(context).find(code: body.code) == nil else { throw Failure.conflict("a plan \(body.code) exists already") }
            let row = try await PlanRepository(context).insert(NewPlan(
                code: body.code, name: body.name, description: body.description ?? "", priceCents: body.priceCents, currency: body.currency,
                billingInterval: try converted(body.billingInterval), quotaPerPeriod: Int32(body.quotaPerPeriod), modes: body.modes.map(\.rawValue)))
            try await Self.audit("plan.created", actor: admin, targetType: "plan", targetID: row.code, detail: body.json, requestID: input.xRequestId, in: context)
            return try Plan(row: row)
        }
        return .created(plan)
    }

    func adminUpdatePlan(_ input: Operations.AdminUpdatePlan.Input, context: Context) async throws -> Operations.AdminUpdatePlan.Output {
        typealias Failure = Operations.AdminUpdatePlan.Failure
        let admin = input.principal.subject
        guard let seen = RequestValues.version(ifMatch: input.ifMatch) else {
            throw Failure.invalidArgument(details: [FieldIssue(field: "/header/If-Match", reason: "is not a version")])
        }
        let body = input.body
        let row = try await database.withContext(.system) { context in
            let plans = PlanRepository(context)
            guard var row = try await plans.find(code: input.planCode) else { throw Failure.notFound("no such plan") }
            guard row.version == seen else { throw Failure.conflict("the plan is at version \(row.version), not \(seen); read it again") }
            if let name = body.name { row.name = name }
            if let description = body.description { row.description = description }
            if let price = body.priceCents { row.priceCents = price }
            if let quota = body.quotaPerPeriod { row.quotaPerPeriod = Int32(quota) }
            if let modes = body.modes { row.modes = modes.map(\.rawValue) }
            if let active = body.active { row.active = active }
            let updated: PlanRow
            do {
                updated = try await plans.update(row)
            } catch RepositoryError.versionConflict {
                throw Failure.conflict("the plan changed meanwhile; read it again")
            }
            try await Self.audit("plan.updated", actor: admin, targetType: "plan", targetID: row.code, detail: body.json, requestID: input.xRequestId, in: context)
            return updated
        }
        return .ok(try Plan(row: row))
    }

    // MARK: - Helpers

    /// Writes an audit entry for a batch of dead letters.
    private static func audit(_ action: String, actor: UUID, target count: Int, detail: JSONValue, requestID: String?, in context: RepositoryContext) async throws {
        try await audit(action, actor: actor, targetType: "dead_letters", targetID: "batch-of-\(count)", detail: detail, requestID: requestID, in: context)
    }

    private static func audit(
        _ action: String, actor: UUID, targetType: String, targetID: String, detail: JSONValue, requestID: String?, in context: RepositoryContext
    ) async throws {
        let object: JSONValue = if case .object = detail { detail } else { .object(JSONObject([("value", detail)])) }
        _ = try await NamedQueries(context).appendAuditLog(
            actorId: actor, action: action, targetType: targetType, targetId: targetID, detail: object, requestId: requestID)
    }

    static func deadLetter(_ row: DeadLetterRow) throws -> DeadLetter {
        let context: [String: JSONValue] = if case .object(let object) = row.context { Dictionary(object.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a }) } else { [:] }
        return try DeadLetter(row: row, context: context)
    }

    static func auditLog(_ row: AuditLogRow) -> AuditLog {
        let detail: [String: JSONValue] = if case .object(let object) = row.detail { Dictionary(object.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a }) } else { [:] }
        return AuditLog(row: row, detail: detail)
    }
}
