import ContractRuntime
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PostgresNIO
import Testing
import WatermarkAPI
@testable import WatermarkService

/// Plans, subscriptions, usage, checkout and payment callbacks through the generated router, over
/// real PostgreSQL.
@Suite("watermark serve: billing operations")
struct BillingOperationsTests {
    static let secret = "provider-secret-for-tests"

    static func signedIn(_ client: some TestClientProtocol) async throws -> AuthSession {
        try await AuthOperationsTests.register(client)
    }

    static func checkout(_ client: some TestClientProtocol, _ token: String, plan: String = "pro_month", key: String = "checkout-\(UUID())") async throws -> TestResponse {
        try await client.send(.post, "/v1/subscriptions/checkout", json: #"{"planCode":"\#(plan)"}"#, key: key, token: token)
    }

    static func callback(_ client: some TestClientProtocol, _ body: String, signedAt: Date = Date(), secret: String = secret) async throws -> TestResponse {
        let header = PaymentSignature(secret: secret).header(for: Array(body.utf8), at: signedAt)
        return try await client.send(.post, "/v1/payments/callback", json: body, headers: ["X-Payment-Signature": header])
    }

    @Test func plansArePagedCheapestFirst() async throws {
        try await ServiceHarness.with { app, _ in
            try await app.test(.router) { client in
                let first = try await client.send(.get, "/v1/plans?limit=2")
                let page = try ServiceHarness.data(first, as: PlanPage.self)
                #expect(page.items.map(\.code) == ["free", "pro_month"])
                #expect(page.items.first?.quotaPerPeriod == 20 && page.items.first?.modes == [.fast])
                let cursor = try #require(page.nextCursor)
                let second = try ServiceHarness.data(try await client.send(.get, "/v1/plans?limit=2&cursor=\(cursor)"), as: PlanPage.self)
                #expect(second.items.map(\.code) == ["pro_year"] && second.nextCursor == nil)
                let bad = try await client.send(.get, "/v1/plans?cursor=bm90LWEtcGxhbiE")
                #expect(try bad.status == .badRequest && ServiceHarness.code(bad) == 40001)
            }
        }
    }

    @Test func usageCountsCommittedAndHeldUnitsOfThePeriod() async throws {
        try await ServiceHarness.with { app, harness in
            try await app.test(.router) { client in
                let session = try await Self.signedIn(client)
                let token = session.tokens.accessToken
                let subscription = try ServiceHarness.data(try await client.send(.get, "/v1/subscriptions/me", token: token), as: Subscription.self)
                #expect(subscription.planCode == "free" && subscription.status == .active)
                let fresh = try ServiceHarness.data(try await client.send(.get, "/v1/usage/me", token: token), as: Usage.self)
                #expect(fresh.quota == 20 && fresh.used == 0 && fresh.held == 0 && fresh.remaining == 20)
                // One task running (HELD), one done (HELD then COMMITTED), one failed (HELD then RELEASED).
                let user = session.user.id.uuidString.lowercased()
                for (task, status) in [(1, "HELD"), (2, "HELD"), (2, "COMMITTED"), (3, "HELD"), (3, "RELEASED")] {
                    let taskID = "00000000-0000-4000-8000-00000000000\(task)"
                    try await harness.admin.query("""
                        INSERT INTO usage_ledger (user_id, task_id, status, source, period_start)
                        SELECT user_id, \(taskID)::uuid, \(status), 'create', current_period_start FROM subscriptions WHERE user_id = \(user)::uuid
                        """)
                }
                // A unit of an earlier period does not count.
                try await harness.admin.query("INSERT INTO usage_ledger (user_id, task_id, status, source, period_start) VALUES (\(user)::uuid, gen_random_uuid(), 'COMMITTED', 'create', now() - interval '40 days')")
                let usage = try ServiceHarness.data(try await client.send(.get, "/v1/usage/me", token: token), as: Usage.self)
                #expect(usage.used == 1 && usage.held == 1 && usage.remaining == 18)
                #expect(usage.periodStart == subscription.currentPeriodStart && usage.periodEnd == subscription.currentPeriodEnd)
            }
        }
    }

    @Test func checkoutAndMockConfirmStartThePaidPlan() async throws {
        try await ServiceHarness.with { app, _ in
            try await app.test(.router) { client in
                let token = try await Self.signedIn(client).tokens.accessToken
                let response = try await Self.checkout(client, token, key: "checkout-0001")
                #expect(response.status == .created)
                let checkout = try ServiceHarness.data(response, as: Checkout.self)
                #expect(checkout.status == .pending && checkout.amountCents == 999 && checkout.currency == "USD")
                #expect(checkout.checkoutUrl == "mock://checkout/\(checkout.paymentId.uuidString.lowercased())")
                let replay = try ServiceHarness.data(try await Self.checkout(client, token, key: "checkout-0001"), as: Checkout.self)
                #expect(replay.paymentId == checkout.paymentId, "the same key replays the same checkout")

                let free = try await Self.checkout(client, token, plan: "free")
                #expect(try free.status.code == 422 && ServiceHarness.code(free) == 42201)
                let unknown = try await Self.checkout(client, token, plan: "gold")
                #expect(try unknown.status == .notFound && ServiceHarness.code(unknown) == 40401)

                let confirm = #"{"paymentId":"\#(checkout.paymentId.uuidString)"}"#
                let confirmed = try await client.send(.post, "/v1/subscriptions/mock-confirm", json: confirm, key: "confirm-0001", token: token)
                let subscription = try ServiceHarness.data(confirmed, as: Subscription.self)
                #expect(subscription.planCode == "pro_month" && subscription.status == .active)
                let again = try await client.send(.post, "/v1/subscriptions/mock-confirm", json: confirm, key: "confirm-0002", token: token)
                #expect(try again.status.code == 422 && ServiceHarness.code(again) == 42201)
                let usage = try ServiceHarness.data(try await client.send(.get, "/v1/usage/me", token: token), as: Usage.self)
                #expect(usage.planCode == "pro_month" && usage.quota == 2000)
                // Another user cannot see, let alone confirm, this payment.
                let other = try await AuthOperationsTests.register(client, #"{"email":"bob@example.com","password":"correct-horse-battery","displayName":"Bob"}"#)
                let foreign = try await client.send(.post, "/v1/subscriptions/mock-confirm", json: confirm, key: "confirm-0003", token: other.tokens.accessToken)
                #expect(try foreign.status == .notFound && ServiceHarness.code(foreign) == 40401)
            }
        }
    }

    @Test func mockConfirmIsRefusedInProduction() async throws {
        try await ServiceHarness.with({ $0.developmentMode = false }) { app, _ in
            try await app.test(.router) { client in
                let token = try await Self.signedIn(client).tokens.accessToken
                let checkout = try ServiceHarness.data(try await Self.checkout(client, token), as: Checkout.self)
                let response = try await client.send(.post, "/v1/subscriptions/mock-confirm", json: #"{"paymentId":"\#(checkout.paymentId.uuidString)"}"#, key: "confirm-prod1", token: token)
                #expect(try response.status == .forbidden && ServiceHarness.code(response) == 40301)
            }
        }
    }

    @Test func signedCallbacksSettlePaymentsOnce() async throws {
        try await ServiceHarness.with({ $0.paymentProviderSecret = Self.secret }) { app, harness in
            try await app.test(.router) { client in
                let token = try await Self.signedIn(client).tokens.accessToken
                let paid = try ServiceHarness.data(try await Self.checkout(client, token, plan: "pro_year"), as: Checkout.self)
                func event(_ id: String, _ payment: Checkout, status: String = "SUCCEEDED", amount: Int64? = nil) -> String {
                    #"{"eventId":"\#(id)","paymentId":"\#(payment.paymentId.uuidString)","status":"\#(status)","amountCents":\#(amount ?? payment.amountCents),"currency":"USD","occurredAt":"2026-11-26T10:00:00Z"}"#
                }
                let forged = try await Self.callback(client, event("evt-00000001", paid), secret: "another-secret-entirely")
                #expect(try forged.status == .unauthorized && ServiceHarness.code(forged) == 40101)
                let stale = try await Self.callback(client, event("evt-00000001", paid), signedAt: Date().addingTimeInterval(-301))
                #expect(stale.status == .unauthorized)
                let wrongAmount = try await Self.callback(client, event("evt-00000002", paid, amount: 1))
                #expect(try wrongAmount.status == .conflict && ServiceHarness.code(wrongAmount) == 40901)

                let accepted = try await Self.callback(client, event("evt-00000001", paid))
                #expect(accepted.status == .ok)
                #expect(try ServiceHarness.data(try await client.send(.get, "/v1/subscriptions/me", token: token), as: Subscription.self).planCode == "pro_year")
                let repeated = try await Self.callback(client, event("evt-00000001", paid))
                #expect(repeated.status == .ok, "a repeated event is acknowledged")

                // A refund ends the subscription the payment started; the user is back on free.
                #expect(try await Self.callback(client, event("evt-00000005", paid, status: "REFUNDED")).status == .ok)
                let afterRefund = try ServiceHarness.data(try await client.send(.get, "/v1/usage/me", token: token), as: Usage.self)
                #expect(afterRefund.planCode == "free" && afterRefund.quota == 20)
                #expect(try await Self.callback(client, event("evt-00000006", paid, status: "REFUNDED")).status == .ok, "a second refund event changes nothing")

                let failing = try ServiceHarness.data(try await Self.checkout(client, token, plan: "pro_month"), as: Checkout.self)
                #expect(try await Self.callback(client, event("evt-00000003", failing, status: "FAILED")).status == .ok)
                let rows = try await harness.admin.query("SELECT plan_code, status FROM payments ORDER BY created_at")
                var payments: [String] = []
                for try await (plan, status) in rows.decode((String, String).self) { payments.append("\(plan) \(status)") }
                #expect(payments == ["pro_year REFUNDED", "pro_month FAILED"])
                let history = try await harness.admin.query("SELECT plan_code || ' ' || status || ' ' || (payment_id IS NOT NULL) FROM subscriptions ORDER BY created_at")
                var plans: [String] = []
                for try await line in history.decode(String.self) { plans.append(line) }
                #expect(plans == ["free CANCELED false", "pro_year CANCELED true", "free ACTIVE false"], "one active subscription at a time")
                let unknown = try await Self.callback(client, event("evt-00000004", Checkout(
                    paymentId: UUID(), planCode: "pro_month", amountCents: 999, currency: "USD", status: .pending, checkoutUrl: "mock://x", expireAt: Date())))
                #expect(try unknown.status == .notFound && ServiceHarness.code(unknown) == 40401)
            }
        }
    }

    @Test func periodsRollForwardWhenTheyEnd() async throws {
        try await ServiceHarness.with { app, harness in
            try await app.test(.router) { client in
                let session = try await Self.signedIn(client)
                let user = session.user.id.uuidString.lowercased()
                try await harness.admin.query("UPDATE subscriptions SET current_period_start = now() - interval '75 days', current_period_end = now() - interval '45 days' WHERE user_id = \(user)::uuid")
                let rolled = try ServiceHarness.data(try await client.send(.get, "/v1/subscriptions/me", token: session.tokens.accessToken), as: Subscription.self)
                #expect(rolled.planCode == "free" && rolled.currentPeriodStart <= Date() && rolled.currentPeriodEnd > Date())
                // A paid plan that was not renewed ends; the user is back on free.
                try await harness.admin.query("UPDATE subscriptions SET plan_code = 'pro_month', current_period_start = now() - interval '40 days', current_period_end = now() - interval '10 days' WHERE user_id = \(user)::uuid AND status = 'ACTIVE'")
                let profile = try ServiceHarness.data(try await client.send(.get, "/v1/auth/me", token: session.tokens.accessToken), as: User.self)
                #expect(profile.planCode == "free", "the profile shows the plan in effect, not the expired one")
                let expired = try ServiceHarness.data(try await client.send(.get, "/v1/subscriptions/me", token: session.tokens.accessToken), as: Subscription.self)
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
