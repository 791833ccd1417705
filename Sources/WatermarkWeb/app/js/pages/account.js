// Account: the user's data export (asked for, then downloadable when ready) and account deletion, which
// needs the confirmation phrase typed exactly.
import { h, show, toast } from "../dom.js";
import { field, markIssues } from "../forms.js";
import { formatDate, t } from "../i18n.js";
import { describe, fieldIssues } from "../problems.js";
import { api, currentUser, signOut } from "../session.js";

const phrase = "DELETE MY ACCOUNT";

/** @param {HTMLElement} main */
export async function accountPage(main) {
    const me = currentUser() ?? (await api.getMe()).body;
    const exportStatus = h("div", { role: "status", "aria-live": "polite" });
    const ask = h("button", {}, t("requestExport"));
    ask.addEventListener("click", async () => {
        try {
            const started = (await api.requestAccountExport({ idempotencyKey: crypto.randomUUID() })).body;
            await watchExport(started.id);
        } catch (error) {
            show(exportStatus, h("p", { class: "error" }, describe(error)));
        }
    });

    async function watchExport(exportId) {
        for (let wait = 1000; document.body.contains(exportStatus); wait = Math.min(wait * 1.5, 10000)) {
            const current = (await api.getAccountExport({ exportId })).body;
            if (current.status === "READY" && current.downloadUrl) {
                show(exportStatus, h("p", {}, h("a", { href: current.downloadUrl, class: "button primary", download: "" }, t("downloadExport")),
                    " ", t("expiresAt", { date: formatDate(current.expireAt) })));
                return;
            }
            if (current.status === "FAILED" || current.status === "EXPIRED") {
                show(exportStatus, h("p", { class: "error" }, t("export." + current.status)));
                return;
            }
            show(exportStatus, h("p", {}, t("export.PENDING")));
            await new Promise((resolve) => setTimeout(resolve, wait));
        }
    }

    const message = h("p", { class: "error", role: "alert" });
    const form = h("form", { novalidate: true },
        h("p", {}, t("deletionWarning", { phrase })),
        field(t("confirmPhrase"), "confirm", { autocomplete: "off", required: true }),
        h("button", { type: "submit", class: "danger" }, t("deleteAccount")),
        message);
    form.addEventListener("submit", async (event) => {
        event.preventDefault();
        const confirm = String(new FormData(/** @type {HTMLFormElement} */ (form)).get("confirm") ?? "");
        if (confirm !== phrase) {
            markIssues(form, [{ field: "/body/confirm", reason: t("typePhrase", { phrase }) }]);
            return;
        }
        try {
            const scheduled = (await api.requestAccountDeletion({ idempotencyKey: crypto.randomUUID(), body: { confirm: phrase } })).body;
            toast(t("deletionScheduled", { date: formatDate(scheduled.scheduledFor) }));
            await signOut();
        } catch (error) {
            markIssues(form, fieldIssues(error));
            message.textContent = describe(error);
        }
    });

    show(main,
        h("h1", {}, t("accountTitle")),
        h("p", {}, me.displayName, " · ", me.email),
        h("section", {}, h("h2", {}, t("exportTitle")), h("p", { class: "muted" }, t("exportHelp")), ask, exportStatus),
        h("section", {}, h("h2", {}, t("deletionTitle")), form));
}
