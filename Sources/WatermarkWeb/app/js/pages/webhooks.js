// Webhooks: the user's endpoints (the signing secret shown once, with a copy button), a test ping, and the
// deliveries with their status and a retry for the ones that gave up.
import { schemas } from "../../client/index.js";
import { h, show, toast } from "../dom.js";
import { field, markIssues } from "../forms.js";
import { formatDate, t } from "../i18n.js";
import { describe, fieldIssues } from "../problems.js";
import { api } from "../session.js";

/** The events an endpoint can ask for: the contract's, but the test ping every endpoint gets. */
const events = /** @type {string[]} */ (/** @type {any} */ (schemas.WebhookEventType).enum).filter((name) => name !== "ping");

/** @param {HTMLElement} main */
export async function webhooksPage(main) {
    const endpoints = (await api.listWebhookEndpoints()).body.items;
    const deliveries = (await api.listWebhookDeliveries({ limit: 20 })).body.items;
    const message = h("p", { role: "status", "aria-live": "polite" });
    const secretBox = h("div");
    const form = h("form", { novalidate: true },
        field(t("endpointUrl"), "url", { type: "url", placeholder: "https://example.com/hooks/watermark", required: true }),
        h("fieldset", {}, h("legend", {}, t("events")), events.map((name) => h("label", {}, h("input", { type: "checkbox", name: "events", value: name, checked: name === "task.succeeded" }), name))),
        h("span", { id: "field-events-error", class: "field-error", role: "alert" }),
        h("button", { type: "submit", class: "primary" }, t("addEndpoint")));
    form.addEventListener("submit", async (event) => {
        event.preventDefault();
        const data = new FormData(/** @type {HTMLFormElement} */ (form));
        const body = { url: String(data.get("url") ?? ""), events: /** @type {any[]} */ (data.getAll("events").map(String)) };
        try {
            const created = (await api.createWebhookEndpoint({ idempotencyKey: crypto.randomUUID(), body })).body;
            const secret = h("code", {}, created.secret);
            const copy = h("button", {}, t("copy"));
            copy.addEventListener("click", async () => {
                await navigator.clipboard.writeText(created.secret);
                toast(t("copied"));
            });
            show(secretBox, h("p", { class: "warning" }, t("secretOnce")), h("p", {}, secret, " ", copy));
            await webhooksPage(main).then(() => main.querySelector("#secret")?.replaceWith(secretBox));
        } catch (error) {
            markIssues(form, fieldIssues(error));
            message.className = "error";
            message.textContent = describe(error);
        }
    });

    const endpointRows = endpoints.map((endpoint) => {
        const ping = h("button", {}, t("sendTest"));
        ping.addEventListener("click", async () => {
            try {
                await api.testWebhookEndpoint({ endpointId: endpoint.id, idempotencyKey: crypto.randomUUID() });
                toast(t("testSent"));
            } catch (error) {
                toast(describe(error));
            }
        });
        return h("tr", {}, h("td", {}, endpoint.url), h("td", {}, endpoint.events.join(", ")), h("td", {}, endpoint.enabled ? t("enabled") : t("disabled")), h("td", { class: "actions" }, ping));
    });
    const deliveryRows = deliveries.map((delivery) => {
        const retry = delivery.status === "DEAD" ? h("button", {}, t("retry")) : null;
        retry?.addEventListener("click", async () => {
            try {
                await api.retryWebhookDelivery({ deliveryId: delivery.id, idempotencyKey: crypto.randomUUID() });
                toast(t("retrying"));
            } catch (error) {
                toast(describe(error));
            }
        });
        return h("tr", {}, h("td", {}, delivery.eventType), h("td", {}, t("delivery." + delivery.status)),
            h("td", {}, String(delivery.attempts), delivery.lastStatusCode ? ` · HTTP ${delivery.lastStatusCode}` : ""),
            h("td", {}, delivery.nextAttemptAt ? formatDate(delivery.nextAttemptAt) : ""), h("td", { class: "actions" }, retry));
    });
    show(main,
        h("h1", {}, t("webhooksTitle")),
        h("div", { id: "secret" }),
        h("table", {}, h("thead", {}, h("tr", {}, h("th", {}, t("endpointUrl")), h("th", {}, t("events")), h("th", {}, t("status")), h("th", {}, t("actions")))),
            h("tbody", {}, endpointRows.length ? endpointRows : h("tr", {}, h("td", { colspan: 4 }, t("noEndpoints"))))),
        h("h2", {}, t("addEndpoint")), form, message,
        h("h2", {}, t("deliveriesTitle")),
        h("table", {}, h("thead", {}, h("tr", {}, h("th", {}, t("events")), h("th", {}, t("status")), h("th", {}, t("attempts")), h("th", {}, t("nextAttempt")), h("th", {}, t("actions")))),
            h("tbody", {}, deliveryRows.length ? deliveryRows : h("tr", {}, h("td", { colspan: 5 }, t("noDeliveries"))))));
}
