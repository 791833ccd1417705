// The mask editor page: draw what to remove on the uploaded image — or on a still of the uploaded video —
// then start the task (or save the mask of an existing task with If-Match, offering to reload on a
// conflict); for an image auto-detection proposes regions to edit, a video is searched frame by frame by
// a task of its own.
import { ApiError } from "../../client/index.js";
import { confirmAction, h, show, toast } from "../dom.js";
import { formatDuration, t } from "../i18n.js";
import { MaskEditor } from "../mask-editor.js";
import { describe, wayOut } from "../problems.js";
import { api, originalOf } from "../session.js";
import { blankStill, videoStill } from "../video-still.js";

/** @param {HTMLElement} main @param {{assetId: string, taskId?: string}} route */
export async function editorPage(main, { assetId, taskId }) {
    const asset = await api.getAsset({ assetId }).then((answer) => answer.body, () => null);
    const source = asset ? await originalOf(asset) : null;
    if (!asset || !source) {
        show(main, h("h1", {}, t("editorTitle")), h("p", {}, t("originalGone")), h("a", { href: "#/upload" }, t("uploadAgain")));
        return;
    }
    const capabilities = (await api.getCapabilities()).body;
    let task = taskId ? (await api.getTask({ taskId })).body : null;
    const isVideo = asset.mediaType === "VIDEO";
    const still = isVideo ? await videoStill(source.url) : null;
    const bitmap = isVideo ? still ?? await blankStill(asset.width ?? 1280, asset.height ?? 720) : await createImageBitmap(await source.blob());
    const canvas = /** @type {HTMLCanvasElement} */ (h("canvas", { "aria-label": t("editorCanvas"), role: "img" }));
    const message = h("p", { role: "status", "aria-live": "polite" });
    // A task still waiting for its mask takes it (If-Match); a task that ran already is started again as a new task with
    // the edited mask.
    const replacing = task?.status === "UPLOADED";
    const save = /** @type {HTMLButtonElement} */ (h("button", { class: "primary", disabled: true }, replacing ? t("saveMask") : t("removeWatermark")));
    const undo = /** @type {HTMLButtonElement} */ (h("button", { "aria-keyshortcuts": "Control+Z Meta+Z", disabled: true }, t("undo")));
    const redo = /** @type {HTMLButtonElement} */ (h("button", { "aria-keyshortcuts": "Control+Shift+Z Meta+Shift+Z", disabled: true }, t("redo")));
    const editor = new MaskEditor(canvas, bitmap, () => {
        save.disabled = editor.empty;
        undo.disabled = editor.undoStack.length === 0 && editor.draft.length === 0;
        redo.disabled = editor.redoStack.length === 0;
    });
    const tools = ["polygon", "brush", "eraser", "pan"].map((tool) => {
        const button = h("button", { "aria-pressed": String(tool === editor.tool), "data-tool": tool }, t("tool." + tool));
        button.addEventListener("click", () => {
            editor.closePolygon();
            editor.tool = tool;
            for (const other of main.querySelectorAll("[data-tool]")) other.setAttribute("aria-pressed", String(other === button));
        });
        return button;
    });
    const brush = h("input", { type: "range", min: 2, max: 120, value: editor.brushSize, id: "brush-size" });
    brush.addEventListener("input", () => { editor.brushSize = Number(/** @type {HTMLInputElement} */ (brush).value); });
    const opacity = h("input", { type: "range", min: 10, max: 100, value: editor.opacity * 100, id: "mask-opacity" });
    opacity.addEventListener("input", () => { editor.opacity = Number(/** @type {HTMLInputElement} */ (opacity).value) / 100; editor.draw(); });
    const mode = /** @type {HTMLSelectElement} */ (h("select", { id: "mode" }, capabilities.modes.map((value) => h("option", { value, selected: value === capabilities.defaultMode }, t("mode." + value)))));
    undo.addEventListener("click", () => editor.undo());
    redo.addEventListener("click", () => editor.redo());
    const keys = (event) => {
        if (!document.body.contains(canvas)) return document.removeEventListener("keydown", keys);
        if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "z") {
            event.preventDefault();
            if (event.shiftKey) editor.redo(); else editor.undo();
        } else if (event.key === "Enter" && editor.tool === "polygon") {
            editor.closePolygon();
        } else if (event.key === "Escape") {
            editor.draft = [];
            editor.draw();
        }
    };
    document.addEventListener("keydown", keys);

    save.addEventListener("click", async () => {
        editor.closePolygon();
        if (editor.empty) return;
        const mask = editor.toMask(capabilities.canvas.width, capabilities.canvas.height);
        save.disabled = true;
        try {
            if (replacing) {
                await api.upsertTaskMask({ taskId: task.id, idempotencyKey: crypto.randomUUID(), ifMatch: `"${task.maskVersion}"`, body: mask });
                toast(t("maskSaved"));
                location.hash = "#/tasks/" + task.id;
            } else {
                await start({ mask });
            }
        } catch (error) {
            save.disabled = false;
            if (task && error instanceof ApiError && error.code === 40901) {
                if (await confirmAction(t("maskConflict"), t("reload"), t("keepEditing"))) {
                    task = (await api.getTask({ taskId: task.id })).body;
                    await loadSavedMask();
                    toast(t("reloaded"));
                }
                return;
            }
            refuse(error);
        }
    });

    /** The task's saved mask, drawn for editing (as one undoable step). */
    async function loadSavedMask() {
        if (!task || task.maskVersion === 0) return;
        const saved = (await api.getTaskMask({ taskId: task.id })).body;
        editor.load(saved, capabilities.canvas.width, capabilities.canvas.height);
    }

    /** Starts the task on this asset with the chosen mode, and follows it. */
    async function start(what) {
        const created = await api.createTask({
            idempotencyKey: crypto.randomUUID(), body: { assetId, mediaType: asset.mediaType, mode: /** @type {any} */ (mode.value), ...what },
        });
        location.hash = "#/tasks/" + created.body.id;
    }

    /** Shows why the service refused, with the way out when there is one. */
    function refuse(error) {
        const out = wayOut(error);
        message.className = "error";
        show(message, describe(error), out ? " " : null, out ? h("a", { href: out.href }, out.label) : null);
    }
    // Auto-detection proposes regions; they are added to the drawing for the user to check, correct and save.
    const detect = /** @type {HTMLButtonElement} */ (h("button", { hidden: !capabilities.autoDetect || (isVideo && task !== null) },
        t(isVideo ? "removeAutomatically" : "detectAutomatically")));
    detect.addEventListener("click", async () => {
        detect.disabled = true;
        if (isVideo) {
            // A video's mark is looked for over all its frames (static, or jumping between places) by the task.
            try {
                await start({ autoDetect: true });
            } catch (error) {
                detect.disabled = false;
                refuse(error);
            }
            return;
        }
        message.className = "muted";
        show(message, t("detecting"));
        try {
            const proposal = (await api.proposeMask({ assetId })).body;
            editor.add({ polygons: proposal.polygons }, capabilities.canvas.width, capabilities.canvas.height);
            const percent = Math.round(proposal.confidence * 100);
            const key = proposal.polygons.length === 0 ? "proposalNone" : proposal.found ? "proposalFound" : "proposalUnsure";
            message.className = proposal.found ? "" : "warning";
            show(message, t(key, { percent }));
        } catch (error) {
            refuse(error);
        } finally {
            detect.disabled = false;
        }
    });
    const zoomIn = h("button", { "aria-label": t("zoomIn") }, "+");
    zoomIn.addEventListener("click", () => editor.zoom(1.25));
    const zoomOut = h("button", { "aria-label": t("zoomOut") }, "−");
    zoomOut.addEventListener("click", () => editor.zoom(0.8));
    const fit = h("button", {}, t("fit"));
    fit.addEventListener("click", () => editor.fit());

    show(main,
        h("h1", {}, t("editorTitle")),
        h("p", { class: "muted" }, source.name, " · ", `${bitmap.width}×${bitmap.height}`,
            isVideo && asset.durationMs ? ` · ${formatDuration(asset.durationMs)}` : null),
        isVideo ? h("p", { class: still ? "muted" : "warning" }, t(still ? "videoStillHelp" : "videoNoStill")) : null,
        h("div", { class: "toolbar", role: "toolbar", "aria-label": t("tools") }, tools, undo, redo, zoomIn, zoomOut, fit),
        h("div", { class: "toolbar" },
            h("label", { for: "brush-size" }, t("brushSize"), brush),
            h("label", { for: "mask-opacity" }, t("maskOpacity"), opacity),
            h("label", { for: "mode" }, t("mode"), mode)),
        h("div", { class: "editor" }, canvas),
        h("p", { class: "muted" }, t("editorHelp")),
        h("div", { class: "toolbar" }, save, detect),
        message);
    editor.fit();
    await loadSavedMask();
}
