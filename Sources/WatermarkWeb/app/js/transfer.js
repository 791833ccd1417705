// Sending a file's bytes where an upload policy says: in one PUT (images; small files), in resumable
// chunks (PATCH with `Upload-Offset` and each chunk's SHA-256, on the local backend) or in presigned
// parts (object storage). A chunk or part that fails on the way is sent again after asking the
// service where the upload stands; what the service refuses (a 4xx) ends the upload with its message.
import { t } from "./i18n.js";
import { digestBlob } from "./sha256.js";
import { api } from "./session.js";

/** Failed sends of one upload before giving up (network errors and 5xx answers). */
const attempts = 5;

/**
 * @param {import("../client/types.js").UploadPolicy} policy
 * @param {File} file
 * @param {(fraction: number) => void} onProgress
 */
export async function sendFile(policy, file, onProgress) {
    if (policy.method === "PATCH") return sendChunks(policy, file, onProgress);
    if (policy.partBytes && file.size > policy.partBytes) return sendParts(policy.assetId, file, onProgress);
    return send("PUT", policy.uploadUrl, policy.headers, file, (loaded) => onProgress(loaded / file.size));
}

/** The local backend's chunks, from where the service says the upload stands. */
async function sendChunks(policy, file, onProgress) {
    let offset = await receivedBytes(policy.uploadUrl);
    let failures = 0;
    while (offset < file.size) {
        const chunk = file.slice(offset, offset + (policy.chunkBytes ?? file.size));
        const headers = { ...policy.headers, "Upload-Offset": String(offset), "Chunk-SHA256": await digestBlob(chunk) };
        try {
            const start = offset;
            await send("PATCH", policy.uploadUrl, headers, chunk, (loaded) => onProgress((start + loaded) / file.size));
            offset += chunk.size;
            failures = 0;
        } catch (error) {
            if (!(error instanceof TransientFailure) || ++failures >= attempts) throw error;
            await pause(failures);
            offset = await receivedBytes(policy.uploadUrl);
        }
    }
}

/**
 * Object storage's presigned parts, asked for in pages of URLs: each part the store does not hold at its full size
 * is PUT to its own URL; then the service joins them. After a failure it asks again which parts arrived.
 */
async function sendParts(assetId, file, onProgress) {
    const perPage = 20;
    let failures = 0;
    for (;;) {
        try {
            let held = null, sent = 0, fromPart = 1, partCount = 1;
            while (fromPart <= partCount) {
                const parts = (await api.listUploadParts({ assetId, fromPart, count: perPage })).body;
                partCount = parts.partCount;
                const expected = (number) => Math.min(parts.partBytes, file.size - (number - 1) * parts.partBytes);
                const arrived = new Set(parts.received.filter((part) => part.sizeBytes === expected(part.partNumber)).map((part) => part.partNumber));
                held ??= parts.received.filter((part) => arrived.has(part.partNumber)).reduce((sum, part) => sum + part.sizeBytes, 0);
                for (const { partNumber, url } of parts.urls) {
                    if (arrived.has(partNumber)) continue;
                    const part = file.slice((partNumber - 1) * parts.partBytes, partNumber * parts.partBytes);
                    const before = held + sent;
                    await send("PUT", url, {}, part, (loaded) => onProgress((before + loaded) / file.size));
                    sent += part.size;
                }
                fromPart += perPage;
            }
            await api.completeUpload({ assetId, idempotencyKey: crypto.randomUUID() });
            return;
        } catch (error) {
            if (!(error instanceof TransientFailure) || ++failures >= attempts) throw error;
            await pause(failures);
        }
    }
}

/** How many bytes of a chunked upload the service holds. */
async function receivedBytes(uploadUrl) {
    const answer = await fetch(uploadUrl);
    if (!answer.ok) throw new Error(t("uploadFailed", { status: answer.status }));
    return (await answer.json()).data.receivedBytes;
}

/** A send that may work when tried again: the connection dropped, or the service was briefly unable. */
class TransientFailure extends Error {}

/** One request with upload progress (fetch reports none); a refusal rejects with the service's message. */
function send(method, url, headers, body, onProgress) {
    return new Promise((resolve, reject) => {
        const request = new XMLHttpRequest();
        request.open(method, url);
        for (const [name, value] of Object.entries(headers)) request.setRequestHeader(name, value);
        request.upload.addEventListener("progress", (event) => { if (event.lengthComputable) onProgress(event.loaded); });
        request.addEventListener("load", () => {
            if (request.status >= 200 && request.status < 300) return resolve(undefined);
            let message = t("uploadFailed", { status: request.status });
            try { message = JSON.parse(request.responseText).message ?? message; } catch { /* not JSON */ }
            reject(request.status >= 500 ? new TransientFailure(message) : new Error(message));
        });
        request.addEventListener("error", () => reject(new TransientFailure(t("offline"))));
        request.send(body);
    });
}

/** Waits 1, 2, 4, 8 s after the first, second… failure. */
function pause(failures) {
    return new Promise((resolve) => setTimeout(resolve, 1000 * 2 ** (failures - 1)));
}
