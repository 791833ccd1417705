// The operators' console (role admin; the navigation never shows it to others and the API refuses them with
// 40301): task search with a task's history, dead letters with a preview before any replay, the audit log
// with its exports, and plans edited with If-Match.
import { ApiError, schemas } from "../../client/index.js";
import { confirmAction, h, show, toast } from "../dom.js";
import { formatDate, t } from "../i18n.js";
import { describe, statusWords } from "../problems.js";
import { api } from "../session.js";

const sections = ["tasks", "dead-letters", "audit", "plans"];

/** @param {HTMLElement} main @param {{section?: string, query: URLSearchParams}} route */
export async function adminPage(main, { section = "tasks", query }) {
    const content = h("div");
    show(main,
        h("h1", {}, t("consoleTitle")),
        h("nav", { class: "toolbar", "aria-label": t("consoleTitle") },
            sections.map((name) => h("a", { href: "#/admin/" + name, "aria-current": name === section ? "page" : false }, t("console." + name)))),
        content);
    try {
        if (section === "dead-letters") await deadLetters(content, query);
        else if (section === "audit") await auditLog(content, query);
        else if (section === "plans") await plans(content);
        else await tasks(content, query);
    } catch (error) {
        show(content, h("p", { class: "error" }, describe(error)));
    }
}

/** A form of filters that puts its values in the hash, so a search can be linked and reloaded. */
function filters(section, query, fields) {
    const form = h("form", { class: "filters" }, fields.map(([name, label, attributes]) =>
        h("label", {}, label, h(attributes.options ? "select" : "input", { name, value: query.get(name) ?? "", ...attributes, options: null },
            attributes.options ? attributes.options.map(([value, text]) => h("option", { value, selected: query.get(name) === value }, text)) : null))),
        h("button", { type: "submit" }, t("search")));
    form.addEventListener("submit", (event) => {
        event.preventDefault();
        const values = new URLSearchParams();
        for (const [name, value] of new FormData(/** @type {HTMLFormElement} */ (form))) if (String(value)) values.set(name, String(value));
        const target = `#/admin/${section}?${values}`;
        // Searching again with the same filters refreshes the results.
        if (location.hash === target) window.dispatchEvent(new HashChangeEvent("hashchange"));
        else location.hash = target;
    });
    return form;
}

const iso = (value) => (value ? new Date(value).toISOString() : undefined);

async function tasks(content, query) {
    const statusOptions = [["", t("allStatuses")], ...(/** @type {string[]} */ (/** @type {any} */ (schemas.TaskStatus).enum)).map((value) => [value, statusWords(value)])];
    const body = h("tbody");
    const timeline = h("section", { "aria-live": "polite" });
    const more = h("button", { hidden: true }, t("loadMore"));
    let cursor;
    async function load() {
        const page = (await api.adminSearchTasks({
            userId: query.get("userId") || undefined, status: /** @type {any} */ (query.get("status") || undefined),
            errorCode: query.get("errorCode") ? Number(query.get("errorCode")) : undefined,
            from: iso(query.get("from")), to: iso(query.get("to")), cursor, limit: 25,
        })).body;
        for (const { userId, task } of page.items) {
            const open = h("button", {}, t("history"));
            open.addEventListener("click", () => history(timeline, task.id));
            body.append(h("tr", {}, h("td", {}, task.id.slice(0, 8)), h("td", {}, userId.slice(0, 8)), h("td", {}, statusWords(task.status), task.errorCode ? ` (${task.errorCode})` : ""),
                h("td", {}, formatDate(task.createdAt)), h("td", { class: "actions" }, open)));
        }
        cursor = page.nextCursor ?? undefined;
        more.hidden = !page.nextCursor;
    }
    more.addEventListener("click", load);
    show(content,
        filters("tasks", query, [["userId", t("userId"), {}], ["status", t("status"), { options: statusOptions }], ["errorCode", t("errorCode"), { inputmode: "numeric" }],
            ["from", t("from"), { type: "datetime-local" }], ["to", t("to"), { type: "datetime-local" }]]),
        h("table", {}, h("thead", {}, h("tr", {}, [t("task"), t("userId"), t("status"), t("created"), t("actions")].map((title) => h("th", {}, title)))), body),
        more, timeline);
    await load();
}

async function history(target, taskId) {
    const found = (await api.adminGetTaskHistory({ taskId })).body;
    show(target,
        h("h2", {}, t("historyOf", { id: taskId })),
        h("ol", { class: "timeline" }, found.events.map((event) => h("li", {},
            h("time", { datetime: event.at }, formatDate(event.at)), " · ", statusWords(event.status), ` · ${event.progress}%`,
            event.errorCode ? ` · ${event.errorCode}` : ""))));
}

async function deadLetters(content, query) {
    const sourceOptions = [["", t("allSources")], ...["TASK", "OUTBOX", "WEBHOOK"].map((value) => [value, value])];
    const page = (await api.adminListDeadLetters({
        source: /** @type {any} */ (query.get("source") || undefined), from: iso(query.get("from")), to: iso(query.get("to")),
        taskIds: query.get("taskId") ? [query.get("taskId")] : undefined, limit: 100,
    })).body;
    const outcome = h("section", { "aria-live": "polite" });
    const rows = page.items.map((letter) => h("tr", {},
        h("td", {}, h("input", { type: "checkbox", name: "pick", value: letter.id, disabled: !letter.replayable || Boolean(letter.replayedAt), "aria-label": letter.id })),
        h("td", {}, letter.source), h("td", {}, letter.taskId ? letter.taskId.slice(0, 8) : letter.outboxEventId?.slice(0, 8) ?? ""),
        h("td", {}, `${letter.errorCode} ${letter.errorMessage}`), h("td", {}, formatDate(letter.createdAt)),
        h("td", {}, letter.replayedAt ? t("replayedAt", { date: formatDate(letter.replayedAt) }) : "")));
    const preview = h("button", { class: "primary" }, t("previewReplay"));
    preview.addEventListener("click", async () => {
        const picked = [...content.querySelectorAll("input[name=pick]:checked")].map((box) => /** @type {HTMLInputElement} */ (box).value);
        if (picked.length === 0) return toast(t("pickDeadLetters"));
        try {
            const dry = (await api.adminPreviewDeadLetterReplay({ idempotencyKey: crypto.randomUUID(), body: { deadLetterIds: picked } })).body;
            const replaying = dry.items.filter((item) => item.outcome === "WOULD_REPLAY").length;
            const concurrency = /** @type {HTMLSelectElement} */ (h("select", { id: "concurrency" }, h("option", { value: "10" }, "10"), h("option", { value: "20" }, "20")));
            const go = h("button", { class: "danger" }, t("replayNow", { count: replaying }));
            go.addEventListener("click", async () => {
                const many = replaying >= 50;
                if (many && !(await confirmAction(t("confirmManyReplays", { count: replaying }), t("replayNow", { count: replaying }), t("cancel")))) return;
                try {
                    const done = (await api.adminReplayDeadLetters({
                        idempotencyKey: crypto.randomUUID(),
                        body: { previewId: dry.previewId, concurrency: Number(concurrency.value), highConcurrency: concurrency.value === "20", confirm: many || undefined },
                    })).body;
                    show(outcome, h("h2", {}, t("replayDone")), h("ul", {}, done.items.map((item) => h("li", {}, `${item.deadLetterId.slice(0, 8)}: ${item.outcome}${item.reason ? " — " + item.reason : ""}`))));
                } catch (error) {
                    show(outcome, h("p", { class: "error" }, describe(error)));
                }
            });
            show(outcome,
                h("h2", {}, t("previewTitle")),
                h("ul", {}, dry.items.map((item) => h("li", {}, `${item.deadLetterId.slice(0, 8)}: ${item.outcome}${item.reason ? " — " + item.reason : ""}`))),
                h("p", {}, t("previewSummary", { count: replaying, date: formatDate(dry.expiresAt) })),
                h("p", { class: "muted" }, t("concurrencyHelp")),
                h("label", { for: "concurrency" }, t("concurrency"), concurrency),
                replaying >= 50 ? h("p", { class: "warning" }, t("manyReplaysWarning")) : null,
                go);
        } catch (error) {
            show(outcome, h("p", { class: "error" }, describe(error)));
        }
    });
    show(content,
        filters("dead-letters", query, [["source", t("source"), { options: sourceOptions }], ["taskId", t("task"), {}],
            ["from", t("from"), { type: "datetime-local" }], ["to", t("to"), { type: "datetime-local" }]]),
        h("table", {}, h("thead", {}, h("tr", {}, ["", t("source"), t("subject"), t("error"), t("created"), ""].map((title) => h("th", {}, title)))),
            h("tbody", {}, rows.length ? rows : h("tr", {}, h("td", { colspan: 6 }, t("noDeadLetters"))))),
        h("div", { class: "toolbar" }, preview), outcome);
}

async function auditLog(content, query) {
    const body = h("tbody");
    const more = h("button", { hidden: true }, t("loadMore"));
    const filtersOf = () => ({
        actorId: query.get("actorId") || undefined, action: query.get("action") || undefined, targetType: query.get("targetType") || undefined,
        targetId: query.get("targetId") || undefined, from: iso(query.get("from")), to: iso(query.get("to")),
    });
    let cursor;
    async function load() {
        const page = (await api.adminSearchAuditLogs({ ...filtersOf(), cursor, limit: 50 })).body;
        for (const entry of page.items) {
            body.append(h("tr", {}, h("td", {}, formatDate(entry.createdAt)), h("td", {}, entry.action), h("td", {}, `${entry.targetType} ${entry.targetId}`),
                h("td", {}, entry.actorId ? entry.actorId.slice(0, 8) : ""), h("td", {}, h("code", {}, JSON.stringify(entry.detail)))));
        }
        cursor = page.nextCursor ?? undefined;
        more.hidden = !page.nextCursor;
    }
    more.addEventListener("click", load);
    const download = (format) => {
        const button = h("button", {}, t("export." + format));
        button.addEventListener("click", async () => {
            try {
                const file = (await api.adminExportAuditLogs({ format, ...filtersOf() })).body;
                const link = h("a", { href: URL.createObjectURL(file), download: `audit-log.${format === "json" ? "ndjson" : "csv"}` });
                link.click();
                setTimeout(() => URL.revokeObjectURL(link.getAttribute("href") ?? ""), 10000);
            } catch (error) {
                toast(describe(error));
            }
        });
        return button;
    };
    show(content,
        filters("audit", query, [["action", t("action"), {}], ["targetType", t("targetType"), {}], ["targetId", t("targetId"), {}], ["actorId", t("actorId"), {}],
            ["from", t("from"), { type: "datetime-local" }], ["to", t("to"), { type: "datetime-local" }]]),
        h("div", { class: "toolbar" }, download("json"), download("csv")),
        h("table", {}, h("thead", {}, h("tr", {}, [t("created"), t("action"), t("targetId"), t("actorId"), t("detail")].map((title) => h("th", {}, title)))), body),
        more);
    await load();
}

async function plans(content) {
    const page = (await api.adminListPlans({ limit: 100 })).body;
    const message = h("p", { role: "status", "aria-live": "polite" });
    const rows = page.items.map((plan) => {
        const quota = /** @type {HTMLInputElement} */ (h("input", { type: "number", min: 0, value: plan.quotaPerPeriod, "aria-label": t("quotaFor", { plan: plan.code }) }));
        const active = /** @type {HTMLInputElement} */ (h("input", { type: "checkbox", checked: plan.active, "aria-label": t("activeFor", { plan: plan.code }) }));
        const save = h("button", {}, t("save"));
        save.addEventListener("click", async () => {
            try {
                const updated = (await api.adminUpdatePlan({ planCode: plan.code, ifMatch: `"${plan.version}"`, body: { quotaPerPeriod: Number(quota.value), active: active.checked } })).body;
                plan.version = updated.version;
                toast(t("planSaved", { plan: plan.code }));
            } catch (error) {
                if (error instanceof ApiError && error.code === 40901) {
                    if (await confirmAction(t("planConflict"), t("reload"), t("keepEditing"))) await plans(content);
                    return;
                }
                message.className = "error";
                message.textContent = describe(error);
            }
        });
        return h("tr", {}, h("td", {}, plan.code), h("td", {}, plan.name), h("td", {}, quota), h("td", {}, active), h("td", { class: "actions" }, save));
    });
    const create = h("form", { novalidate: true, class: "filters" },
        ["code", "name", "priceCents", "currency", "quotaPerPeriod"].map((name) => h("label", {}, t("plan." + name), h("input", { name, required: true }))),
        h("button", { type: "submit" }, t("createPlan")));
    create.addEventListener("submit", async (event) => {
        event.preventDefault();
        const data = new FormData(/** @type {HTMLFormElement} */ (create));
        try {
            await api.adminCreatePlan({
                idempotencyKey: crypto.randomUUID(),
                body: {
                    code: String(data.get("code")), name: String(data.get("name")), priceCents: Number(data.get("priceCents")), currency: String(data.get("currency")),
                    billingInterval: "MONTH", quotaPerPeriod: Number(data.get("quotaPerPeriod")), modes: ["FAST", "QUALITY"],
                },
            });
            await plans(content);
        } catch (error) {
            message.className = "error";
            message.textContent = describe(error);
        }
    });
    show(content,
        h("table", {}, h("thead", {}, h("tr", {}, [t("plan.code"), t("plan.name"), t("plan.quotaPerPeriod"), t("activePlan"), ""].map((title) => h("th", {}, title)))), h("tbody", {}, rows)),
        h("h2", {}, t("createPlan")), create, message);
}
