// One task: its status in words (live), what a failure means, and once it succeeded the result — a
// before/after slider against the original image (this tab's upload, or fetched through its signed link; a player
// for a video), the download, and when it expires.
import { errorMessage } from "../../client/index.js";
import { h, show } from "../dom.js";
import { formatDate, language, t } from "../i18n.js";
import { follow } from "../live.js";
import { describe, statusWords, terminalStatuses } from "../problems.js";
import { api, originalOf } from "../session.js";

/** @param {HTMLElement} main @param {{taskId: string}} route @param {(stop: () => void) => void} onLeave */
export async function taskPage(main, { taskId }, onLeave) {
    let task = (await api.getTask({ taskId })).body;
    const state = h("p", { class: "status", role: "status", "aria-live": "polite" });
    const progress = /** @type {HTMLProgressElement} */ (h("progress", { max: 100, value: task.progress, "aria-label": t("progress") }));
    const details = h("div");
    show(main, h("h1", {}, t("taskTitle")), h("p", { class: "muted" }, task.id), state, progress, details);

    async function render() {
        state.textContent = statusWords(task.status) + " · " + t("statusHelp." + task.status);
        progress.value = task.progress;
        progress.hidden = terminalStatuses.includes(task.status);
        if (task.status === "FAILED") {
            show(details,
                h("p", { class: "error" }, task.errorCode ? `${errorMessage(task.errorCode, language()) ?? task.errorMessage ?? ""} (${task.errorCode})` : t("failedWithoutCode")),
                h("a", { href: `#/editor/${task.assetId}/${task.id}` }, t("editMask")));
        } else if (task.status === "SUCCEEDED") {
            await showResult();
        } else if (task.status === "UPLOADED") {
            show(details, h("a", { href: `#/editor/${task.assetId}/${task.id}` }, t("editMask")));
        }
    }

    async function showResult() {
        try {
            const result = (await api.getTaskResult({ taskId })).body;
            if (task.mediaType === "VIDEO") {
                // The browser plays what it can decode (H.264, VP9; often not H.265): the download is always there.
                const player = h("video", { src: result.resultUrl, controls: true, preload: "metadata", "aria-label": t("videoResult") });
                show(details, h("figure", {}, player), downloadAndExpiry(result));
                return;
            }
            const after = h("img", { src: result.resultUrl, alt: t("after") });
            // The original: this tab's upload, or the service's link to it; none once the upload was deleted.
            const asset = await api.getAsset({ assetId: task.assetId }).then((answer) => answer.body, () => null);
            const before = asset ? await originalOf(asset).catch(() => null) : null;
            let comparison = h("figure", {}, after);
            if (before) {
                const beforeLayer = h("div", { class: "before" }, h("img", { src: before.url, alt: t("before") }));
                const slider = /** @type {HTMLInputElement} */ (h("input", { type: "range", min: 0, max: 100, value: 50, id: "compare", "aria-label": t("compare") }));
                const frame = h("div", { class: "compare" }, after, beforeLayer);
                const place = () => {
                    beforeLayer.style.width = slider.value + "%";
                    const image = /** @type {HTMLImageElement} */ (beforeLayer.firstChild);
                    image.style.width = frame.clientWidth + "px";
                };
                slider.addEventListener("input", place);
                after.addEventListener("load", place);
                new ResizeObserver(place).observe(frame);
                comparison = h("figure", {}, frame, h("label", { for: "compare" }, t("beforeAfter"), slider));
            }
            show(details, comparison, downloadAndExpiry(result));
        } catch (error) {
            show(details, h("p", { class: "error" }, describe(error)));
        }
    }

    /** The download button and when the result expires (a warning within a day). */
    function downloadAndExpiry(result) {
        const expires = new Date(result.expireAt).getTime() - Date.now();
        return [
            h("p", {}, h("a", { href: result.resultUrl, download: "", class: "button primary" }, t("download"))),
            h("p", { class: expires < 86_400_000 ? "warning" : "muted" },
                expires < 86_400_000 ? t("expiresSoon", { date: formatDate(result.expireAt) }) : t("expiresAt", { date: formatDate(result.expireAt) })),
        ];
    }

    await render();
    if (!terminalStatuses.includes(task.status)) {
        onLeave(follow(taskId, task.updatedAt, async (update) => {
            task = { ...task, ...update };
            if (terminalStatuses.includes(task.status)) task = (await api.getTask({ taskId })).body;
            await render();
        }));
    }
}
