import ContractRuntime
import ContractServer
import Foundation
import Hummingbird
import NIOCore
import PostgresNIO
import PostgresSupport
import WatermarkAPI
import WatermarkDatabase

/// The `billing` operations: the plans on sale, the caller's subscription and quota use, checkout,
/// the development stand-in for paying, and the payment provider's signed callback.
///
/// A payment is PENDING until the provider (or `mock-confirm` in development) says SUCCEEDED, which
/// ends the current subscription and starts the paid plan's period, or FAILED. A REFUNDED event for
/// a paid payment ends the subscription it started (back to free). A repeated callback event
/// changes nothing (`payment_callbacks` keeps each event id once).
struct BillingHandler<Context: RequestContext>: BillingAPI {
    let database: Database
    let idempotency: IdempotentRequests
    /// Whether `mock-confirm` works (development); 40301 otherwise.
    let developmentMode: Bool
    /// Checks provider callbacks; nil when no secret is configured (every callback is 40101).
    let signature: PaymentSignature?
    /// Where checkout links point: `<checkoutURL>/<paymentId>`.
    let checkoutURL: String
    /// How long a checkout may be paid.
    let checkoutLifetime: TimeInterval = 30 * 60

    init(database: Database, idempotency: IdempotentRequests, configuration: ServiceConfiguration) {
        self.database = database
        self.idempotency = idempotency
        developmentMode = configuration.developmentMode
        signature = configuration.paymentProviderSecret.map(PaymentSignature.init(secret:))
        checkoutURL = configuration.checkoutURL
    }

    func listPlans(_ input: Operations.ListPlans.Input, context: Context) async throws -> Operations.ListPlans.Output {
        var after: String?
        if let cursor = input.cursor {
            guard let code = Self.decodeCursor(cursor) else {
                throw Operations.ListPlans.Failure.invalidArgument(details: [FieldIssue(field: "/query/cursor", reason: "is not a cursor this list issued")])
            }
            after = code
        }
        let rows = try await database.withContext(.system) { context in
            try await NamedQueries(context).listActivePlans(code: after, limit: Int64(input.limit + 1))
        }
        let page = rows.prefix(input.limit)
        let next = rows.count > input.limit ? page.last.map { Self.encodeCursor($0.code) } : nil
        return .ok(PlanPage(items: try page.map(Plan.init(row:)), nextCursor: next))
    }

    func getMySubscription(_ input: Operations.GetMySubscription.Input, context: Context) async throws -> Operations.GetMySubscription.Output {
        let user = input.principal.subject
        let (subscription, _) = try await database.withContext(.user(user)) { context in
            try await SubscriptionPeriods.current(for: user, in: context)
        }
        return .ok(try Subscription(row: subscription))
    }

    func getMyUsage(_ input: Operations.GetMyUsage.Input, context: Context) async throws -> Operations.GetMyUsage.Output {
        let user = input.principal.subject
        let usage = try await database.withContext(.user(user)) { context in
            let (subscription, plan) = try await SubscriptionPeriods.current(for: user, in: context)
            let counted = try await NamedQueries(context).usageForPeriod(userId: user, periodStart: subscription.currentPeriodStart)
            let used = Int(counted?.used ?? 0)
            let held = max(Int(counted?.held ?? 0), 0)
            let quota = Int(plan.quotaPerPeriod)
            return Usage(
                planCode: plan.code, periodStart: subscription.currentPeriodStart, periodEnd: subscription.currentPeriodEnd,
                quota: quota, used: used, held: held, remaining: max(quota - used - held, 0))
        }
        return .ok(usage)
    }

    func createCheckout(_ input: Operations.CreateCheckout.Input, context: Context) async throws -> Operations.CreateCheckout.Output {
        typealias Failure = Operations.CreateCheckout.Failure
        let user = input.principal.subject
        let checkout = try await idempotency.run(.user(user), key: input.idempotencyKey, operation: "createCheckout", request: input.body.json, status: 201, conflict: Failure.conflict) { context in
            guard let plan = try await PlanRepository(context).find(code: input.body.planCode), plan.active else {
                throw Failure.notFound("no plan '\(input.body.planCode)' is on sale")
            }
            guard plan.priceCents > 0 else { throw Failure.preconditionFailed("the free plan needs no payment") }
            let payment = try await PaymentRepository(context).insert(NewPayment(
                userId: user, planCode: plan.code, amountCents: plan.priceCents, currency: plan.currency,
                checkoutExpiresAt: Date().addingTimeInterval(checkoutLifetime)))
            return Checkout(
                paymentId: payment.id, planCode: plan.code, amountCents: payment.amountCents, currency: payment.currency,
                status: .pending, checkoutUrl: checkoutURL + "/" + payment.id.uuidString.lowercased(), expireAt: payment.checkoutExpiresAt)
        }
        return .created(checkout)
    }

    func mockConfirmPayment(_ input: Operations.MockConfirmPayment.Input, context: Context) async throws -> Operations.MockConfirmPayment.Output {
        typealias Failure = Operations.MockConfirmPayment.Failure
        let user = input.principal.subject
        guard developmentMode else { throw Failure.forbidden("mock-confirm works only in development mode") }
        let subscription = try await idempotency.run(.user(user), key: input.idempotencyKey, operation: "mockConfirmPayment", request: input.body.json, status: 200, conflict: Failure.conflict) { context in
            guard var payment = try await PaymentRepository(context).find(id: input.body.paymentId) else {
                throw Failure.notFound("no such payment")
            }
            guard payment.status == .pending, payment.checkoutExpiresAt > Date() else {
                throw Failure.preconditionFailed("the payment is \(payment.status == .pending ? "past its checkout time" : payment.status.rawValue), not PENDING")
            }
            return try Subscription(row: try await Self.settle(&payment, succeeded: true, in: context)!)
        }
        return .ok(subscription)
    }

    func handlePaymentCallback(_ input: Operations.HandlePaymentCallback.Input, context: Context) async throws -> Operations.HandlePaymentCallback.Output {
        typealias Failure = Operations.HandlePaymentCallback.Failure
        guard let signature, signature.verifies(input.xPaymentSignature, body: input.rawBody.bytes.readableBytesView) else {
            throw Failure.unauthenticated("the payment signature does not verify (or is older than 5 minutes)")
        }
        let event = input.body
        try await database.withContext(.system) { context in
            guard var payment = try await PaymentRepository(context).find(id: event.paymentId) else {
                throw Failure.notFound("no such payment")
            }
            guard payment.amountCents == event.amountCents, payment.currency == event.currency else {
                throw Failure.conflict("the event's amount or currency does not match the payment")
            }
            // Each event once: a repeated one is acknowledged and changes nothing.
            guard try await NamedQueries(context).recordPaymentCallback(
                eventId: event.eventId, paymentId: payment.id, status: try converted(event.status), payload: event.json) == 1 else { return }
            switch (event.status, payment.status) {
            case (.succeeded, .pending): _ = try await Self.settle(&payment, succeeded: true, in: context)
            case (.failed, .pending): _ = try await Self.settle(&payment, succeeded: false, in: context)
            case (.refunded, .succeeded):
                payment.status = .refunded
                payment = try await PaymentRepository(context).update(payment)
                _ = try await SubscriptionPeriods.revoke(paidBy: payment.id, for: payment.userId, in: context)
            default:
                // Late or out of order (a failure after success, a refund of an unpaid payment): recorded, no effect.
                break
            }
        }
        return .ok(EmptyData(accepted: true))
    }

    // MARK: - Payments

    /// Marks `payment` paid (starting its plan; the new subscription) or failed.
    private static func settle(_ payment: inout PaymentRow, succeeded: Bool, in context: RepositoryContext) async throws -> SubscriptionRow? {
        payment.status = succeeded ? .succeeded : .failed
        payment.paidAt = succeeded ? Date() : nil
        payment = try await PaymentRepository(context).update(payment)
        guard succeeded else { return nil }
        guard let plan = try await PlanRepository(context).find(code: payment.planCode) else { throw RepositoryError.notFound(table: "plans") }
        return try await SubscriptionPeriods.activate(plan, for: payment.userId, paidBy: payment.id, in: context)
    }

    // MARK: - Mapping

    /// Plan cursors: the last code of the page, base64url.
    static func encodeCursor(_ code: String) -> String {
        Base64URL.encode(code.utf8)
    }

    static func decodeCursor(_ cursor: String) -> String? {
        guard let data = Base64URL.decode(cursor), let code = String(data: data, encoding: .utf8),
              code.range(of: "^[a-z][a-z0-9_]{1,31}$", options: .regularExpression) != nil else { return nil }
        return code
    }
}
