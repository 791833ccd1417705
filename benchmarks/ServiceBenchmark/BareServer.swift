import Crypto
import Foundation
import Hummingbird
import NIOCore
import PostgresNIO
import WatermarkService

/// The baseline: `GET /v1/tasks/{id}` and `POST /v1/tasks` written by hand on Hummingbird and
/// PostgresNIO, as a team would without the generator — the same token check (RS256), the same
/// row-level-security scope and the same rows written (idempotency key, quota hold under the user
/// lock, task, its events, outbox event), with Foundation's JSON coders and minimal validation
/// (no field-level errors, no response checks, the stored idempotent response not sealed).
enum BareServer {
    struct TaskJSON: Codable {
        var id: UUID, assetId: UUID, mediaType: String, mode: String, status: String, progress: Int, version: Int64, attempt: Int
        var autoDetect: Bool, maskVersion: Int64, errorCode: Int?, errorMessage: String?, resultExpireAt: Date?
        var createdAt: Date, updatedAt: Date, finishedAt: Date?
    }

    struct Envelope: Encodable {
        var code = 0
        var message = "OK"
        var requestId: String
        var data: TaskJSON
    }

    struct CreateRequest: Decodable {
        var assetId: UUID
        var mediaType: String
        var mode: String?
        var autoDetect: Bool?
    }

    static let taskColumns = "id, asset_id, media_type, mode, status::text, progress, version, attempt, auto_detect, mask_version, error_code, error_message, result_expire_at, created_at, updated_at, finished_at"

    static func task(_ row: PostgresRow) throws -> TaskJSON {
        let (id, asset, media, mode, status, progress, version, attempt, auto, maskVersion, code, message, expire, created, updated, finished) =
            try row.decode((UUID, UUID, String, String, String, Int16, Int64, Int32, Bool, Int64, Int32?, String?, Date?, Date, Date, Date?).self)
        return TaskJSON(
            id: id, assetId: asset, mediaType: media, mode: mode, status: status, progress: Int(progress), version: version, attempt: Int(attempt),
            autoDetect: auto, maskVersion: maskVersion, errorCode: code.map(Int.init), errorMessage: message, resultExpireAt: expire,
            createdAt: created, updatedAt: updated, finishedAt: finished)
    }

    static func router(client: PostgresClient, tokens: AccessTokens) -> Router<BasicRequestContext> {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        let router = Router()

        @Sendable func user(_ request: Request) async -> UUID? {
            guard let header = request.headers[.authorization], header.hasPrefix("Bearer "),
                  case .valid(let claims) = await tokens.verify(String(header.dropFirst(7))) else { return nil }
            return UUID(uuidString: claims.sub.value)
        }
        @Sendable func respond(_ status: HTTPResponse.Status, _ task: TaskJSON) throws -> Response {
            let body = try encoder.encode(Envelope(requestId: UUID().uuidString, data: task))
            return Response(status: status, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
        }

        router.get("/v1/tasks/:taskId") { request, context -> Response in
            guard let user = await user(request) else { return Response(status: .unauthorized) }
            guard let id = context.parameters.get("taskId").flatMap(UUID.init(uuidString:)) else { return Response(status: .badRequest) }
            let found: TaskJSON? = try await client.withTransaction(logger: context.logger) { connection in
                try await connection.query("SELECT set_config('app.user_id', \(user.uuidString.lowercased()), true)", logger: context.logger)
                let rows = try await connection.query(PostgresQuery(unsafeSQL: "SELECT \(taskColumns) FROM tasks WHERE id = $1", binds: binds(id)), logger: context.logger)
                for try await row in rows { return try task(row) }
                return nil
            }
            guard let found else { return Response(status: .notFound) }
            return try respond(.ok, found)
        }

        router.post("/v1/tasks") { request, context -> Response in
            guard let user = await user(request) else { return Response(status: .unauthorized) }
            guard let key = request.headers.first(where: { $0.name.canonicalName == "idempotency-key" })?.value else { return Response(status: .badRequest) }
            let bytes = try await request.body.collect(upTo: 1 << 20)
            guard let body = try? JSONDecoder().decode(CreateRequest.self, from: Data(buffer: bytes)) else { return Response(status: .badRequest) }
            let hash = ByteBuffer(bytes: Array(SHA256.hash(data: Data(buffer: bytes))))
            return try await client.withTransaction(logger: context.logger) { connection -> Response in
                let logger = context.logger
                func one(_ sql: String, _ values: PostgresBindings) async throws -> PostgresRow? {
                    for try await row in try await connection.query(PostgresQuery(unsafeSQL: sql, binds: values), logger: logger) { return row }
                    return nil
                }
                try await connection.query("SELECT set_config('app.user_id', \(user.uuidString.lowercased()), true)", logger: logger)
                guard let claim = try await one(
                    "INSERT INTO idempotency_keys (user_id, idempotency_key, operation_id, request_hash, expires_at) VALUES ($1, $2, 'createTask', $3, now() + interval '1 day') ON CONFLICT ON CONSTRAINT idempotency_keys_scope_key DO NOTHING RETURNING id",
                    binds(user, key, hash))
                else {
                    let stored = try await one("SELECT response_body::text FROM idempotency_keys WHERE user_id = $1 AND idempotency_key = $2", binds(user, key))
                    let text = try stored?.decode(String?.self) ?? nil
                    return Response(status: .created, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(string: text ?? "{}")))
                }
                let claimID = try claim.decode(Int64.self)
                guard let asset = try await one("SELECT status, media_type FROM assets WHERE id = $1", binds(body.assetId)),
                      try asset.decode((String, String).self).0 == "UPLOADED" else { return Response(status: .notFound) }
                _ = try await one("SELECT id FROM users WHERE id = $1 FOR NO KEY UPDATE", binds(user))
                guard let plan = try await one(
                    "SELECT s.current_period_start, p.quota_per_period FROM subscriptions AS s JOIN plans AS p ON p.code = s.plan_code WHERE s.user_id = $1 AND s.status = 'ACTIVE'",
                    binds(user)) else { return Response(status: .forbidden) }
                let (periodStart, quota) = try plan.decode((Date, Int32).self)
                let usage = try await one(
                    "SELECT coalesce(sum(units) FILTER (WHERE status = 'COMMITTED'), 0)::bigint, (coalesce(sum(units) FILTER (WHERE status = 'HELD'), 0) - coalesce(sum(units) FILTER (WHERE status IN ('COMMITTED', 'RELEASED')), 0))::bigint FROM usage_ledger WHERE user_id = $1 AND period_start = $2",
                    binds(user, periodStart))
                var (used, held): (Int64, Int64) = (0, 0)
                if let usage { (used, held) = try usage.decode((Int64, Int64).self) }
                guard used + max(held, 0) < Int64(quota) else { return Response(status: .forbidden) }
                let id = UUID()
                _ = try await one("INSERT INTO usage_ledger (user_id, task_id, status, source, units, period_start) VALUES ($1, $2, 'HELD', 'create', 1, $3) ON CONFLICT ON CONSTRAINT usage_ledger_transition_key DO NOTHING", binds(user, id, periodStart))
                _ = try await one(
                    "INSERT INTO tasks (id, user_id, asset_id, media_type, mode, auto_detect) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                    binds(id, user, body.assetId, body.mediaType, body.mode ?? "FAST", body.autoDetect ?? false))
                let event = "INSERT INTO task_events (task_id, user_id, sequence, status, progress, attempt) SELECT $1, $2, coalesce(max(sequence), 0) + 1, $3::task_status, 0, 0 FROM task_events WHERE task_id = $1"
                _ = try await one(event, binds(id, user, "UPLOADED"))
                guard let queued = try await one(
                    "UPDATE tasks SET status = 'QUEUED', next_run_at = now(), version = version + 1, updated_at = now() WHERE id = $1 RETURNING \(taskColumns)", binds(id))
                else { return Response(status: .internalServerError) }
                _ = try await one(event, binds(id, user, "QUEUED"))
                let created = try task(queued)
                _ = try await one(
                    "INSERT INTO outbox_events (user_id, aggregate_type, aggregate_id, event_type, payload) VALUES ($1, 'task', $2, 'task.created', $3::jsonb)",
                    binds(user, id, #"{"taskId":"\#(id.uuidString.lowercased())","status":"QUEUED"}"#))
                let response = try respond(.created, created)
                let stored = String(decoding: try encoder.encode(Envelope(requestId: "stored", data: created)), as: UTF8.self)
                _ = try await one("UPDATE idempotency_keys SET response_status = 201, response_body = $2::jsonb WHERE id = $1", binds(claimID, stored))
                return response
            }
        }
        return router
    }

    static func binds(_ values: any PostgresEncodable & Sendable...) throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: values.count)
        for value in values { try bindings.append(value) }
        return bindings
    }
}
