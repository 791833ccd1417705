// Upload: drop or pick an image or a video; its type and size are checked against the service's
// capabilities before anything is sent, its SHA-256 computed here (WebCrypto, or slice by slice for a
// large video), and the bytes go where the service's upload policy says with a real progress bar —
// a video in resumable chunks or parts (`transfer.js`). Then the mask editor opens on it.
import { h, show } from "../dom.js";
import { formatBytes, t } from "../i18n.js";
import { describe } from "../problems.js";
import { api, rememberOriginal } from "../session.js";
import { digestFile } from "../sha256.js";
import { sendFile } from "../transfer.js";

/** @param {HTMLElement} main */
export async function uploadPage(main) {
    const capabilities = (await api.getCapabilities()).body;
    /** The limits of the media kind a content type belongs to. */
    const mediaOf = (type) => capabilities.media.find((media) => media.contentTypes.includes(type));
    const accepted = capabilities.media.flatMap((media) => media.contentTypes);
    const input = /** @type {HTMLInputElement} */ (h("input", { type: "file", accept: accepted.join(","), id: "file", class: "visually-hidden" }));
    const status = h("p", { role: "status", "aria-live": "polite" });
    const progress = /** @type {HTMLProgressElement} */ (h("progress", { max: 100, value: 0, hidden: true, "aria-label": t("uploadProgress") }));
    const takesVideo = capabilities.media.some((media) => media.mediaType === "VIDEO");
    const dropHere = t(takesVideo ? "dropHereVideo" : "dropHere");
    const drop = h("div", { class: "drop", tabindex: "0", role: "button", "aria-label": dropHere },
        h("p", {}, dropHere),
        capabilities.media.map((media) => h("p", { class: "muted" }, t("acceptedFiles", {
            types: media.contentTypes.map((type) => type.replace(/^(image|video)\//, "").replace("quicktime", "mov").toUpperCase()).join(", "),
            size: formatBytes(media.maxBytes),
        }))),
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
        const media = mediaOf(file.type);
        if (!media) return refuse(t("wrongType", { name: file.name, types: accepted.join(", ") }));
        if (file.size === 0) return refuse(t("emptyFile", { name: file.name }));
        if (file.size > media.maxBytes) return refuse(t("tooLarge", { name: file.name, size: formatBytes(file.size), limit: formatBytes(media.maxBytes) }));
        try {
            status.textContent = t("hashing", { name: file.name });
            progress.hidden = false;
            const sha256 = await digestFile(file, (fraction) => { progress.value = Math.round(fraction * 100); });
            const policy = (await api.createUploadPolicy({
                idempotencyKey: "upload-" + sha256.slice(0, 32),
                body: { fileName: file.name, contentType: /** @type {any} */ (file.type), sizeBytes: file.size, sha256 },
            })).body;
            // The same file again gives the same asset (the key is its digest): an upload cut off goes on where
            // it stopped, a finished one is not sent again.
            const asset = (await api.getAsset({ assetId: policy.assetId })).body;
            if (asset.status !== "UPLOADED") {
                status.textContent = t("uploading", { name: file.name });
                progress.value = 0;
                await sendFile(policy, file, (fraction) => { progress.value = Math.round(fraction * 100); });
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

    show(main, h("h1", {}, t(takesVideo ? "uploadTitleVideo" : "uploadTitle")), drop, progress, status);
}
