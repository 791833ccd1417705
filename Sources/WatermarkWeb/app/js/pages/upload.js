// Upload: drop or pick an image; its type and size are checked against the service's capabilities
// before anything is sent, its SHA-256 computed here (WebCrypto), and the bytes go to the upload URL
// the service hands out with a real progress bar. Then the mask editor opens on it.
import { h, show } from "../dom.js";
import { formatBytes, t } from "../i18n.js";
import { describe } from "../problems.js";
import { api, rememberOriginal } from "../session.js";

/** @param {HTMLElement} main */
export async function uploadPage(main) {
    const capabilities = (await api.getCapabilities()).body;
    const image = capabilities.media.find((media) => media.mediaType === "IMAGE");
    const accepted = image?.contentTypes ?? [];
    const maxBytes = image?.maxBytes ?? 0;
    const input = /** @type {HTMLInputElement} */ (h("input", { type: "file", accept: accepted.join(","), id: "file", class: "visually-hidden" }));
    const status = h("p", { role: "status", "aria-live": "polite" });
    const progress = /** @type {HTMLProgressElement} */ (h("progress", { max: 100, value: 0, hidden: true, "aria-label": t("uploadProgress") }));
    const drop = h("div", { class: "drop", tabindex: "0", role: "button", "aria-label": t("dropHere") },
        h("p", {}, t("dropHere")),
        h("p", { class: "muted" }, t("acceptedFiles", { types: accepted.map((type) => type.replace("image/", "").toUpperCase()).join(", "), size: formatBytes(maxBytes) })),
        h("label", { for: "file", class: "button" }, h("span", {}, t("chooseFile"))), input);
    drop.addEventListener("click", (event) => { if (event.target === drop) input.click(); });
    drop.addEventListener("keydown", (event) => { if (event.key === "Enter" || event.key === " ") { event.preventDefault(); input.click(); } });
    drop.addEventListener("dragover", (event) => { event.preventDefault(); drop.classList.add("over"); });
    drop.addEventListener("dragleave", () => drop.classList.remove("over"));
    drop.addEventListener("drop", (event) => {
        event.preventDefault();
        drop.classList.remove("over");
        const file = event.dataTransfer?.files[0];
        if (file) send(file);
    });
    input.addEventListener("change", () => { if (input.files?.[0]) send(input.files[0]); });

    async function send(file) {
        status.className = "";
        if (!accepted.includes(/** @type {any} */ (file.type))) return refuse(t("wrongType", { name: file.name, types: accepted.join(", ") }));
        if (file.size === 0) return refuse(t("emptyFile", { name: file.name }));
        if (file.size > maxBytes) return refuse(t("tooLarge", { name: file.name, size: formatBytes(file.size), limit: formatBytes(maxBytes) }));
        try {
            status.textContent = t("hashing", { name: file.name });
            const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", await file.arrayBuffer()));
            const sha256 = Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join("");
            const policy = (await api.createUploadPolicy({
                idempotencyKey: "upload-" + sha256.slice(0, 32),
                body: { fileName: file.name, contentType: /** @type {any} */ (file.type), sizeBytes: file.size, sha256 },
            })).body;
            // The same image again gives the same asset (the key is its digest): upload it only once.
            const asset = (await api.getAsset({ assetId: policy.assetId })).body;
            if (asset.status !== "UPLOADED") {
                status.textContent = t("uploading", { name: file.name });
                progress.hidden = false;
                await put(policy.uploadUrl, policy.headers, file, (fraction) => { progress.value = Math.round(fraction * 100); });
            }
            rememberOriginal(policy.assetId, file);
            status.textContent = t("uploaded", { name: file.name });
            location.hash = "#/editor/" + policy.assetId;
        } catch (error) {
            progress.hidden = true;
            refuse(describe(error));
        }
    }

    function refuse(message) {
        status.className = "error";
        status.textContent = message;
    }

    show(main, h("h1", {}, t("uploadTitle")), drop, progress, status);
}

/** PUT with upload progress (fetch reports none); rejects with the service's refusal as an Error. */
function put(url, headers, file, onProgress) {
    return new Promise((resolve, reject) => {
        const request = new XMLHttpRequest();
        request.open("PUT", url);
        for (const [name, value] of Object.entries(headers)) request.setRequestHeader(name, value);
        request.upload.addEventListener("progress", (event) => { if (event.lengthComputable) onProgress(event.loaded / event.total); });
        request.addEventListener("load", () => {
            if (request.status >= 200 && request.status < 300) return resolve(undefined);
            let message = t("uploadFailed", { status: request.status });
            try { message = JSON.parse(request.responseText).message ?? message; } catch { /* not JSON */ }
            reject(new Error(message));
        });
        request.addEventListener("error", () => reject(new Error(t("offline"))));
        request.send(file);
    });
}
