import Foundation
import Hummingbird
import PostgresSupport

/// Routes for operators, outside the contract: `/healthz` (the process answers), `/readyz` (the
/// database answers too; 503 while it does not) and `/metrics` (Prometheus text format; the
/// database gate's gauges are read when it is scraped).
enum OperabilityRoutes {
    static func add<Context: RequestContext>(to router: Router<Context>, database: Database, metrics: ServiceMetrics) {
        router.get("/healthz") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: "ok\n")))
        }
        router.get("/readyz") { _, _ in
            let ready = await SystemHandler<Context>.databaseIsUp(database)
            return Response(
                status: ready ? .ok : .serviceUnavailable, headers: [.contentType: "text/plain; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: ready ? "ready\n" : "database unavailable\n")))
        }
        router.get("/metrics") { _, _ in
            if let gate = database.admission { metrics.databaseAdmission(gate.snapshot) }
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: metrics.exposition())))
        }
    }
}
