// The signed-in user: tokens only in memory (a TokenSession, renewed through the refresh rotation; never
// in localStorage or cookies), the API client every page uses, and signing out, which forgets everything.
import { APIClient, TokenSession } from "../client/index.js";
import { language, onLanguageChange } from "./i18n.js";

const listeners = new Set();
/** @type {import("../client/types.js").User | null} */
let user = null;

export const session = new TokenSession({
    onChange(tokens) {
        if (tokens === null) user = null;
        for (const listener of listeners) listener(tokens !== null);
    },
});

export const api = new APIClient({ baseURL: location.origin, session, language: language() });
onLanguageChange((tag) => { api.language = tag; });

session.refresher = async (refreshToken) => {
    // Retries of this one refresh reuse its key (the client sends the same input again).
    const answer = await api.refreshTokens({ idempotencyKey: crypto.randomUUID(), body: { refreshToken } });
    return { accessToken: answer.body.accessToken, refreshToken: answer.body.refreshToken };
};

/** Calls `listener(signedIn)` whenever the user signs in or out (a refused renewal signs out). */
export function onSessionChange(listener) {
    listeners.add(listener);
}

export function signedIn() {
    return session.accessToken !== null;
}

export function currentUser() {
    return user;
}

/** A stable id of this browser for the sessions list (a random id, not a fingerprint). */
function deviceId() {
    let id = localStorage.getItem("deviceId");
    if (!id) {
        id = "web-" + crypto.randomUUID();
        localStorage.setItem("deviceId", id);
    }
    return id;
}

export async function signIn(email, password) {
    const answer = await api.login({ idempotencyKey: crypto.randomUUID(), xDeviceId: deviceId(), body: { email, password } });
    user = answer.body.user;
    session.signIn({ accessToken: answer.body.tokens.accessToken, refreshToken: answer.body.tokens.refreshToken });
}

export async function signUp(email, password, displayName) {
    const answer = await api.register({ idempotencyKey: crypto.randomUUID(), xDeviceId: deviceId(), body: { email, password, displayName } });
    user = answer.body.user;
    session.signIn({ accessToken: answer.body.tokens.accessToken, refreshToken: answer.body.tokens.refreshToken });
}

/** Ends the session on the server (best effort) and forgets the tokens, the user and every object URL made. */
export async function signOut() {
    try {
        if (signedIn()) await api.logout({ idempotencyKey: crypto.randomUUID(), body: {} });
    } catch {
        // Signed out locally whatever the server said.
    } finally {
        session.signOut();
        forgetOriginals();
    }
}

/** Originals the user uploaded in this tab, by asset id, for the editor and the before/after view (not fetched again). */
const originals = new Map();

export function rememberOriginal(assetId, file) {
    originals.set(assetId, { file, url: URL.createObjectURL(file) });
}

/**
 * The original of an asset: the file this tab uploaded, or else the service's signed link to it (another tab, another
 * day); null when there is none to show (not uploaded, deleted).
 * @param {import("../client/types.js").Asset} asset
 * @returns {Promise<{name: string, url: string, blob: () => Promise<Blob>} | null>}
 */
export async function originalOf(asset) {
    const kept = originals.get(asset.id);
    if (kept) return { name: kept.file.name, url: kept.url, blob: async () => kept.file };
    if (asset.status !== "UPLOADED") return null;
    const link = (await api.getAssetDownload({ assetId: asset.id })).body;
    return {
        name: asset.fileName,
        url: link.url,
        async blob() {
            const answer = await fetch(link.url);
            if (!answer.ok) throw new Error(`HTTP ${answer.status}`);
            return answer.blob();
        },
    };
}

function forgetOriginals() {
    for (const { url } of originals.values()) URL.revokeObjectURL(url);
    originals.clear();
}
