// Plans and usage: the plans on offer, the user's subscription, this period's quota (used, held by running
// tasks, remaining), and checkout — confirmed through the mock provider where the service offers it.
import { ApiError } from "../../client/index.js";
import { h, show, toast } from "../dom.js";
import { formatDate, language, t } from "../i18n.js";
import { describe } from "../problems.js";
import { api } from "../session.js";

/** @param {HTMLElement} main */
export async function plansPage(main) {
    const [plans, usage, subscription] = await Promise.all([
        api.listPlans().then((answer) => answer.body.items),
        api.getMyUsage().then((answer) => answer.body),
        api.getMySubscription().then((answer) => answer.body).catch((error) => {
            if (error instanceof ApiError && error.code === 40401) return null;
            throw error;
        }),
    ]);
    const message = h("p", { role: "status", "aria-live": "polite" });
    const money = (cents, currency) => new Intl.NumberFormat(language(), { style: "currency", currency }).format(cents / 100);
    const meter = /** @type {HTMLMeterElement} */ (h("meter", { min: 0, max: usage.quota, value: usage.used + usage.held, "aria-label": t("quotaUsed") }));

    async function checkout(planCode) {
        try {
            const started = (await api.createCheckout({ idempotencyKey: crypto.randomUUID(), body: { planCode } })).body;
            message.textContent = t("checkoutStarted", { amount: money(started.amountCents, started.currency) });
            // The development provider: confirm at once (a real provider would send the user to checkoutUrl).
            try {
                await api.mockConfirmPayment({ idempotencyKey: crypto.randomUUID(), body: { paymentId: started.paymentId } });
                toast(t("subscribed"));
                await plansPage(main);
            } catch (error) {
                if (error instanceof ApiError && error.code === 40301) location.assign(started.checkoutUrl);
                else throw error;
            }
        } catch (error) {
            message.className = "error";
            message.textContent = describe(error);
        }
    }

    show(main,
        h("h1", {}, t("plansTitle")),
        h("section", { "aria-labelledby": "usage-title" },
            h("h2", { id: "usage-title" }, t("usageTitle")),
            h("p", {}, t("usageLine", { used: usage.used, held: usage.held, remaining: usage.remaining, quota: usage.quota })),
            meter,
            h("p", { class: "muted" }, t("period", { start: formatDate(usage.periodStart), end: formatDate(usage.periodEnd) })),
            usage.remaining === 0 ? h("p", { class: "warning" }, t("quotaExhausted")) : null),
        h("section", {},
            h("h2", {}, t("subscriptionTitle")),
            h("p", {}, subscription
                ? t("subscriptionLine", { plan: subscription.planCode, status: subscription.status, end: formatDate(subscription.currentPeriodEnd) })
                : t("noSubscription", { plan: usage.planCode }))),
        h("section", {},
            h("h2", {}, t("availablePlans")),
            h("ul", { class: "plans" }, plans.filter((plan) => plan.active).map((plan) => {
                const choose = h("button", { class: plan.code === usage.planCode ? "" : "primary", disabled: plan.code === usage.planCode || plan.priceCents === 0 },
                    plan.code === usage.planCode ? t("currentPlan") : t("choosePlan"));
                choose.addEventListener("click", () => checkout(plan.code));
                return h("li", {},
                    h("strong", {}, plan.name), " · ",
                    plan.priceCents === 0 ? t("free") : `${money(plan.priceCents, plan.currency)} / ${t("interval." + plan.billingInterval)}`,
                    h("br"), h("span", { class: "muted" }, plan.description, " · ", t("quotaPerPeriod", { quota: plan.quotaPerPeriod })),
                    h("br"), choose);
            }))),
        message);
}
