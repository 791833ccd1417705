import ContractRuntime
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import PostgresNIO
import Testing
import WatermarkClient
@testable import WatermarkService

/// Account export and deletion through the generated router over real PostgreSQL.
@Suite("watermark serve: account export and deletion")
struct AccountOperationsTests {
    @Test func anExportHoldsTheCallersDataAndNoSecrets() async throws {
        try await ServiceHarness.with { app, harness in
            try await app.test(.router) { client in
                let ada = try await ServiceUser.register(client)
                let asset = try await ada.uploadedAsset()
                _ = try await ada.task(asset: asset, mask: .cornerBox)

                let export = try await ada.api.requestAccountExport(idempotencyKey: "export-0001").body
                #expect(export.status == .ready && export.expireAt.map { $0 > Date().addingTimeInterval(6 * 86_400) } == true)
                let replay = try await ada.api.requestAccountExport(idempotencyKey: "export-0001").body
                #expect(replay.id == export.id)
                let read = try await ada.api.getAccountExport(exportId: export.id).body
                let link = try #require(read.downloadUrl)

                let download = try await client.execute(uri: UploadFixtures.pathAndQuery(link), method: .get)
                #expect(download.status == .ok && download.headers[.contentType] == "application/octet-stream")
                let text = String(buffer: download.body)
                guard case .object(let archive) = try JSONParser.parse(Array(text.utf8)) else { Issue.record("not an object"); return }
                for (section, count) in [("assets", 1), ("tasks", 1), ("masks", 1), ("usage", 1), ("subscriptions", 1), ("sessions", 1)] {
                    guard case .array(let items)? = archive[section] else { Issue.record("no \(section)"); continue }
                    #expect(items.count == count, "\(section)")
                }
                #expect(text.contains(#""email":"ada@example.com""#))
                for secret in ["passwordHash", "password_hash", "refreshToken", "deviceFingerprint", "secret", "scrypt"] {
                    #expect(!text.contains(secret), "the archive must not hold \(secret)")
                }

                // Another user sees nothing; an expired link does not work.
                let bob = try await ServiceUser.register(client, email: "bob@example.com", password: "another-long-passphrase", displayName: "Bob")
                await expectFailure(40401, status: 404) { try await bob.api.getAccountExport(exportId: export.id) }
                let stale = harness.auth.urlSigner.url(base: "", method: "GET", path: "/v1/storage/exports/\(export.id.uuidString.lowercased())", expires: Date().addingTimeInterval(-1))
                try TaskLifecycleTests.expect(try await client.execute(uri: stale, method: .get), .unauthorized, 40102)
            }
        }
    }

    @Test func deletionSignsOutCancelsAndPurgesAfterTheGracePeriod() async throws {
        try await ServiceHarness.with { app, harness in
            try await app.test(.router) { client in
                let ada = try await ServiceUser.register(client)
                let asset = try await ada.uploadedAsset()
                let task = try await ada.task(asset: asset, autoDetect: true)
                _ = try await ada.api.requestAccountExport(idempotencyKey: "export-0001")

                // A phrase that is not the confirmation is refused by the server (raw: the client would not send it).
                let wrong = try await client.send(.post, "/v1/account/deletion-request", json: #"{"confirm":"delete my account"}"#, key: "delete-0001", token: ada.token)
                try TaskLifecycleTests.expect(wrong, .badRequest, 40001)
                let confirmation = AccountDeletionRequest(reason: "testing")
                let deletion = try await ada.api.requestAccountDeletion(idempotencyKey: "delete-0002", body: confirmation).body
                #expect(abs(deletion.scheduledFor.timeIntervalSinceNow - 23 * 3_600) < 60, "deleted within 24 hours (BE-009)")
                // Signed out at once (even the request's own token), cannot sign in, the running task is
                // canceled and its quota released.
                await expectFailure(40101, status: 401) { try await ada.api.requestAccountDeletion(idempotencyKey: "delete-0002", body: confirmation) }
                await expectFailure(40101, status: 401) {
                    try await ada.api.login(
                        idempotencyKey: "login-after-delete", xDeviceId: "laptop-1",
                        body: LoginRequest(email: "ADA@example.com", password: ServiceUser.password, deviceName: "Ada's laptop"))
                }
                let state = try await harness.admin.query("""
                    SELECT (SELECT status::text FROM tasks WHERE id = \(task.id)),
                           (SELECT count(*) FROM sessions WHERE revoked_reason = 'ACCOUNT_DELETION'),
                           (SELECT count(*) FROM usage_ledger WHERE status = 'RELEASED'),
                           (SELECT count(*) FROM audit_logs WHERE action = 'account.deletion_requested')
                    """)
                for try await (status, revoked, released, audits) in state.decode((String, Int64, Int64, Int64).self) {
                    #expect(status == "CANCELED" && revoked == 1 && released == 1 && audits == 1)
                }

                // Nothing happens before the grace period ends; afterwards everything goes but the audit trail.
                let purge = AccountPurge(database: harness.database, storage: harness.storage)
                #expect(try await purge.purgeDue().isEmpty)
                let purged = try await purge.purgeDue(now: Date().addingTimeInterval(8 * 86_400))
                #expect(purged == [ada.id])
                let left = try await harness.admin.query("""
                    SELECT (SELECT count(*) FROM users) + (SELECT count(*) FROM tasks) + (SELECT count(*) FROM assets)
                           + (SELECT count(*) FROM account_exports) + (SELECT count(*) FROM usage_ledger) + (SELECT count(*) FROM sessions),
                           (SELECT count(*) FROM audit_logs WHERE action = 'account.deleted')
                    """)
                for try await (rows, audits) in left.decode((Int64, Int64).self) {
                    #expect(rows == 0 && audits == 1)
                }
                #expect(try await harness.storage.read("assets/\(asset.uuidString.lowercased())", maxBytes: 1 << 20) == nil)
                let exports = FileManager.default.enumerator(atPath: harness.configuration.storageDirectory)?.compactMap { $0 as? String }.filter { $0.hasSuffix(".json") } ?? []
                #expect(exports.isEmpty)
            }
        }
    }
}
