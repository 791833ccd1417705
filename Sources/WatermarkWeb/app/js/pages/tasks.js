// The task center: the user's tasks a page at a time (cursor paging), filtered by status, each row live
// while its task runs; cancel, retry and delete (after confirming).
import { confirmAction, h, show, toast } from "../dom.js";
import { formatDate, t } from "../i18n.js";
import { follow } from "../live.js";
import { describe, statusWords, terminalStatuses } from "../problems.js";
import { api } from "../session.js";

const statuses = ["UPLOADED", "QUEUED", "PREPROCESSING", "DETECTING", "INPAINTING", "PACKAGING", "SUCCEEDED", "FAILED", "CANCELED"];

/** @param {HTMLElement} main @param {{status?: string}} route @param {(stop: () => void) => void} onLeave */
export async function tasksPage(main, { status }, onLeave) {
    const stops = [];
    onLeave(() => stops.forEach((stop) => stop()));
    const filter = /** @type {HTMLSelectElement} */ (h("select", { id: "status-filter" },
        h("option", { value: "" }, t("allStatuses")),
        statuses.map((value) => h("option", { value, selected: value === status }, statusWords(value)))));
    filter.addEventListener("change", () => { location.hash = "#/tasks" + (filter.value ? "?status=" + filter.value : ""); });
    const body = h("tbody");
    const more = /** @type {HTMLButtonElement} */ (h("button", { hidden: true }, t("loadMore")));
    const message = h("p", { role: "status", "aria-live": "polite" });
    /** @type {string | null} */
    let cursor = null;

    async function load() {
        try {
            const page = (await api.listTasks({ status: /** @type {any} */ (status || undefined), cursor: cursor ?? undefined, limit: 20 })).body;
            for (const task of page.items) body.append(row(task));
            cursor = page.nextCursor;
            more.hidden = !cursor;
            if (body.children.length === 0) message.textContent = t("noTasks");
        } catch (error) {
            message.className = "error";
            message.textContent = describe(error);
        }
    }
    more.addEventListener("click", load);

    /** @param {import("../../client/types.js").Task} task */
    function row(task) {
        const state = h("span", { class: "status" }, statusWords(task.status));
        const progress = /** @type {HTMLProgressElement} */ (h("progress", { max: 100, value: task.progress, "aria-label": t("progress") }));
        const actions = h("td", { class: "actions" });
        const tr = h("tr", { "data-task": task.id },
            h("td", {}, h("a", { href: "#/tasks/" + task.id }, task.id.slice(0, 8))),
            h("td", {}, state, h("br"), progress),
            h("td", {}, formatDate(task.createdAt)),
            actions);
        function render(current) {
            state.textContent = statusWords(current.status);
            progress.value = current.progress;
            show(actions,
                !terminalStatuses.includes(current.status) ? button(t("cancel"), async () => render((await api.cancelTask({ taskId: task.id, idempotencyKey: crypto.randomUUID() })).body)) : null,
                ["FAILED", "CANCELED"].includes(current.status) ? button(t("retry"), async () => {
                    const retried = (await api.retryTask({ taskId: task.id, idempotencyKey: crypto.randomUUID() })).body;
                    render(retried);
                    stops.push(follow(task.id, retried.updatedAt, (update) => render({ ...retried, ...update })));
                }) : null,
                button(t("delete"), async () => {
                    if (!(await confirmAction(t("confirmDelete"), t("delete"), t("keep")))) return;
                    await api.deleteTask({ taskId: task.id });
                    tr.remove();
                    toast(t("deleted"));
                }, "danger"));
        }
        render(task);
        if (!terminalStatuses.includes(task.status)) stops.push(follow(task.id, task.updatedAt, (update) => render({ ...task, ...update })));
        return tr;
    }

    function button(label, action, kind = "") {
        const element = h("button", { class: kind }, label);
        element.addEventListener("click", async () => {
            try {
                await action();
            } catch (error) {
                toast(describe(error));
            }
        });
        return element;
    }

    show(main,
        h("h1", {}, t("tasksTitle")),
        h("div", { class: "toolbar" }, h("label", { for: "status-filter" }, t("filterStatus"), filter), h("a", { href: "#/upload" }, t("newTask"))),
        h("table", {}, h("thead", {}, h("tr", {}, h("th", {}, t("task")), h("th", {}, t("status")), h("th", {}, t("created")), h("th", {}, t("actions")))), body),
        more, message);
    await load();
}
