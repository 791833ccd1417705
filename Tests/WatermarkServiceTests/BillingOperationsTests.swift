import ContractRuntime
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PostgresNIO
import Testing
import WatermarkClient
@testable import WatermarkService

/// Plans, subscriptions, usage, checkout and payment callbacks through the generated client over the
/// router, over real PostgreSQL. Callbacks whose signature is wrong on purpose stay raw HTTP.
@Suite("watermark serve: billing operations")
struct BillingOperationsTests {
    static let secret = "provider-secret-for-tests"

    static func signedIn(_ client: some TestClientProtocol) async throws -> ServiceUser {
        try await ServiceUser.register(client)
    }

    /// A checkout of `plan` through the client.
    static func checkout(_ user: ServiceUser, plan: String = "pro_month", key: String = "checkout-\(UUID())") async throws -> Checkout {
        try await user.api.createCheckout(idempotencyKey: key, body: CheckoutRequest(planCode: plan)).body
    }

    /// A checkout of `plan` as raw HTTP, for tests that read the answer themselves.
    static func checkout(_ client: some TestClientProtocol, _ token: String, plan: String = "pro_month", key: String = "checkout-\(UUID())") async throws -> TestResponse {
        try await client.send(.post, "/v1/subscriptions/checkout", json: #"{"planCode":"\#(plan)"}"#, key: key, token: token)
    }

    /// A provider callback as raw HTTP: `body` as is, signed at `signedAt` with `secret`.
    static func callback(_ client: some TestClientProtocol, _ body: String, signedAt: Date = Date(), secret: String = secret) async throws -> TestResponse {
        let header = PaymentSignature(secret: secret).header(for: Array(body.utf8), at: signedAt)
        return try await client.send(.post, "/v1/payments/callback", json: body, headers: ["X-Payment-Signature": header])
    }

    /// A provider callback through the client, signed now with the provider's secret over exactly the
    /// bytes the client sends (its `setJSONBody` serialises `event.json` with `JSONSerializer`).
    static func settle(_ client: some TestClientProtocol, _ event: PaymentCallbackRequest) async throws -> ClientOperations.HandlePaymentCallback.Response {
        let signature = PaymentSignature(secret: Self.secret).header(for: JSONSerializer.serialize(event.json), at: Date())
        return try await APIClient.inProcess(client).handlePaymentCallback(xPaymentSignature: signature, body: event)
    }

    @Test func plansArePagedCheapestFirst() async throws {
        try await ServiceHarness.with { app, _ in
            try await app.test(.router) { client in
                let api = APIClient.inProcess(client)
                let page = try await api.listPlans(limit: 2).body
                #expect(page.items.map(\.code) == ["free", "pro_month"])
                #expect(page.items.first?.quotaPerPeriod == 20 && page.items.first?.modes == [.fast])
                let cursor = try #require(page.nextCursor)
                let second = try await api.listPlans(cursor: cursor, limit: 2).body
                #expect(second.items.map(\.code) == ["pro_year"] && second.nextCursor == nil)
                // A cursor of the contract's form that this list did not issue.
                await expectFailure(40001, status: 400) { try await api.listPlans(cursor: "bm90LWEtcGxhbiE") }
            }
        }
    }

    @Test func usageCountsCommittedAndHeldUnitsOfThePeriod() async throws {
        try await ServiceHarness.with { app, harness in
            try await app.test(.router) { client in
                let ada = try await Self.signedIn(client)
                let subscription = try await ada.api.getMySubscription().body
                #expect(subscription.planCode == "free" && subscription.status == .active)
                let fresh = try await ada.api.getMyUsage().body
                #expect(fresh.quota == 20 && fresh.used == 0 && fresh.held == 0 && fresh.remaining == 20)
                // One task running (HELD), one done (HELD then COMMITTED), one failed (HELD then RELEASED).
                let user = ada.id.uuidString.lowercased()
                for (task, status) in [(1, "HELD"), (2, "HELD"), (2, "COMMITTED"), (3, "HELD"), (3, "RELEASED")] {
                    let taskID = "00000000-0000-4000-8000-00000000000\(task)"
                    try await harness.admin.query("""
                        INSERT INTO usage_ledger (user_id, task_id, status, source, period_start)
                        SELECT user_id, \(taskID)::uuid, \(status), 'create', current_period_start FROM subscriptions WHERE user_id = \(user)::uuid
                        """)
                }
                // A unit of an earlier period does not count.
                try await harness.admin.query("INSERT INTO usage_ledger (user_id, task_id, status, source, period_start) VALUES (\(user)::uuid, gen_random_uuid(), 'COMMITTED', 'create', now() - interval '40 days')")
                let usage = try await ada.api.getMyUsage().body
                #expect(usage.used == 1 && usage.held == 1 && usage.remaining == 18)
                #expect(usage.periodStart == subscription.currentPeriodStart && usage.periodEnd == subscription.currentPeriodEnd)
            }
        }
    }

    @Test func checkoutAndMockConfirmStartThePaidPlan() async throws {
        try await ServiceHarness.with { app, _ in
            try await app.test(.router) { client in
                let ada = try await Self.signedIn(client)
                let checkout = try await Self.checkout(ada, key: "checkout-0001")
                #expect(checkout.status == .pending && checkout.amountCents == 999 && checkout.currency == "USD")
                #expect(checkout.checkoutUrl == "mock://checkout/\(checkout.paymentId.uuidString.lowercased())")
                let replay = try await Self.checkout(ada, key: "checkout-0001")
                #expect(replay.paymentId == checkout.paymentId, "the same key replays the same checkout")

                await expectFailure(42201, status: 422) { try await Self.checkout(ada, plan: "free") }
                await expectFailure(40401, status: 404) { try await Self.checkout(ada, plan: "gold") }

                let confirm = MockConfirmRequest(paymentId: checkout.paymentId)
                let subscription = try await ada.api.mockConfirmPayment(idempotencyKey: "confirm-0001", body: confirm).body
                #expect(subscription.planCode == "pro_month" && subscription.status == .active)
                await expectFailure(42201, status: 422) { try await ada.api.mockConfirmPayment(idempotencyKey: "confirm-0002", body: confirm) }
                let usage = try await ada.api.getMyUsage().body
                #expect(usage.planCode == "pro_month" && usage.quota == 2000)
                // Another user cannot see, let alone confirm, this payment.
                let bob = try await ServiceUser.register(client, email: "bob@example.com", displayName: "Bob")
                await expectFailure(40401, status: 404) { try await bob.api.mockConfirmPayment(idempotencyKey: "confirm-0003", body: confirm) }
            }
        }
    }

    @Test func mockConfirmIsRefusedInProduction() async throws {
        try await ServiceHarness.with({ $0.developmentMode = false }) { app, _ in
            try await app.test(.router) { client in
                let ada = try await Self.signedIn(client)
                let checkout = try await Self.checkout(ada)
                await expectFailure(40301, status: 403) {
                    try await ada.api.mockConfirmPayment(idempotencyKey: "confirm-prod1", body: MockConfirmRequest(paymentId: checkout.paymentId))
                }
            }
        }
    }

    @Test func signedCallbacksSettlePaymentsOnce() async throws {
        try await ServiceHarness.with({ $0.paymentProviderSecret = Self.secret }) { app, harness in
            try await app.test(.router) { client in
                let ada = try await Self.signedIn(client)
                let paid = try await Self.checkout(ada, plan: "pro_year")
                func event(_ id: String, _ payment: Checkout, status: PaymentCallbackRequest.Status = .succeeded, amount: Int64? = nil) -> PaymentCallbackRequest {
                    PaymentCallbackRequest(
                        eventId: id, paymentId: payment.paymentId, status: status, amountCents: amount ?? payment.amountCents, currency: "USD",
                        occurredAt: Date(timeIntervalSince1970: 1_795_687_200))  // 2026-11-26T10:00:00Z
                }
                // A forged or stale signature is refused (raw: the signature header is what is tested).
                let forged = try await Self.callback(client, JSONSerializer.string(event("evt-00000001", paid).json), secret: "another-secret-entirely")
                #expect(try forged.status == .unauthorized && ServiceHarness.code(forged) == 40101)
                let stale = try await Self.callback(client, JSONSerializer.string(event("evt-00000001", paid).json), signedAt: Date().addingTimeInterval(-301))
                #expect(stale.status == .unauthorized)
                await expectFailure(40901, status: 409) { try await Self.settle(client, event("evt-00000002", paid, amount: 1)) }

                _ = try await Self.settle(client, event("evt-00000001", paid))
                #expect(try await ada.api.getMySubscription().body.planCode == "pro_year")
                _ = try await Self.settle(client, event("evt-00000001", paid))  // a repeated event is acknowledged (200)

                // A refund ends the subscription the payment started; the user is back on free.
                _ = try await Self.settle(client, event("evt-00000005", paid, status: .refunded))
                let afterRefund = try await ada.api.getMyUsage().body
                #expect(afterRefund.planCode == "free" && afterRefund.quota == 20)
                _ = try await Self.settle(client, event("evt-00000006", paid, status: .refunded))  // a second refund event is acknowledged and changes nothing

                let failing = try await Self.checkout(ada, plan: "pro_month")
                _ = try await Self.settle(client, event("evt-00000003", failing, status: .failed))
                let rows = try await harness.admin.query("SELECT plan_code, status FROM payments ORDER BY created_at")
                var payments: [String] = []
                for try await (plan, status) in rows.decode((String, String).self) { payments.append("\(plan) \(status)") }
                #expect(payments == ["pro_year REFUNDED", "pro_month FAILED"])
                let history = try await harness.admin.query("SELECT plan_code || ' ' || status || ' ' || (payment_id IS NOT NULL) FROM subscriptions ORDER BY created_at")
                var plans: [String] = []
                for try await line in history.decode(String.self) { plans.append(line) }
                #expect(plans == ["free CANCELED false", "pro_year CANCELED true", "free ACTIVE false"], "one active subscription at a time")
                let unknown = PaymentCallbackRequest(
                    eventId: "evt-00000004", paymentId: UUID(), status: .succeeded, amountCents: 999, currency: "USD",
                    occurredAt: Date(timeIntervalSince1970: 1_795_687_200))
                await expectFailure(40401, status: 404) { try await Self.settle(client, unknown) }
            }
        }
    }

    @Test func periodsRollForwardWhenTheyEnd() async throws {
        try await ServiceHarness.with { app, harness in
            try await app.test(.router) { client in
                let ada = try await Self.signedIn(client)
                let user = ada.id.uuidString.lowercased()
                try await harness.admin.query("UPDATE subscriptions SET current_period_start = now() - interval '75 days', current_period_end = now() - interval '45 days' WHERE user_id = \(user)::uuid")
                let rolled = try await ada.api.getMySubscription().body
                #expect(rolled.planCode == "free" && rolled.currentPeriodStart <= Date() && rolled.currentPeriodEnd > Date())
                // A paid plan that was not renewed ends; the user is back on free.
                try await harness.admin.query("UPDATE subscriptions SET plan_code = 'pro_month', current_period_start = now() - interval '40 days', current_period_end = now() - interval '10 days' WHERE user_id = \(user)::uuid AND status = 'ACTIVE'")
                let profile = try await ada.api.getMe().body
                #expect(profile.planCode == "free", "the profile shows the plan in effect, not the expired one")
                let expired = try await ada.api.getMySubscription().body
                #expect(expired.planCode == "free" && expired.id != rolled.id)
                let statuses = try await harness.admin.query("SELECT plan_code || ' ' || status FROM subscriptions ORDER BY created_at")
                var all: [String] = []
                for try await line in statuses.decode(String.self) { all.append(line) }
                #expect(all == ["pro_month EXPIRED", "free ACTIVE"])
            }
        }
    }

    @Test func callbackSignaturesAreCheckedInConstantTimeFormat() {
        let signature = PaymentSignature(secret: Self.secret)
        let body = Array(#"{"a":1}"#.utf8)
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let header = signature.header(for: body, at: now)
        #expect(header.hasPrefix("t=1800000000,v1=") && header.count == "t=1800000000,v1=".count + 64)
        #expect(signature.verifies(header, body: body, now: now.addingTimeInterval(299)))
        #expect(!signature.verifies(header, body: body, now: now.addingTimeInterval(301)))
        #expect(!signature.verifies(header, body: Array(#"{"a":2}"#.utf8), now: now))
        #expect(!signature.verifies("t=1800000000,v1=zz", body: body, now: now))
    }
}
