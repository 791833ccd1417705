// The generated TypeScript client (Generated/TypeScriptClient) against a running `watermark serve`
// (BASE_URL; test_typescript_client.py starts it), in Node's own test runner: what a page or a script
// using the client would notice.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { APIClient, ApiError, ContractClientError, TokenSession, errorMessage, operations, schemas, validate } from "../../Sources/WatermarkWeb/app/client/index.js";

const baseURL = process.env.BASE_URL;
const photo = readFileSync(process.env.PHOTO);
const email = `ts-${Date.now()}@example.com`;
const password = "correct-horse-battery";
const key = (label) => `${label}-${crypto.randomUUID()}`;
/** Field issues as sorted "pointer reason" lines, to compare the client's with the server's. */
const sorted = (issues) => issues.map((issue) => `${issue.field} ${issue.reason}`).sort();

async function refreshKey(refreshToken) {
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(refreshToken)));
    return "refresh-" + Array.from(digest.slice(0, 16), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** A client whose session renews itself through refreshTokens; `refreshes` counts the renewals. */
function signedInClient(tokens, options = {}) {
    const counter = { refreshes: 0 };
    const session = new TokenSession({ tokens });
    const api = new APIClient({ baseURL, session, ...options });
    session.refresher = async (refreshToken) => {
        counter.refreshes += 1;
        const answer = await api.refreshTokens({ idempotencyKey: await refreshKey(refreshToken), body: { refreshToken } });
        return { accessToken: answer.body.accessToken, refreshToken: answer.body.refreshToken };
    };
    return { api, session, counter };
}

let tokens;

test("register and sign in", async () => {
    const api = new APIClient({ baseURL });
    const registered = await api.register({ idempotencyKey: key("register"), body: { email, password, displayName: "<img src=x onerror=alert(1)>" } });
    assert.equal(registered.status, 201);
    assert.equal(registered.body.user.displayName, "<img src=x onerror=alert(1)>");
    const signedIn = await api.login({ idempotencyKey: key("login"), body: { email, password } });
    tokens = { accessToken: signedIn.body.tokens.accessToken, refreshToken: signedIn.body.tokens.refreshToken };
    const { api: authed } = signedInClient(tokens);
    const me = await authed.getMe();
    assert.equal(me.body.email, email);
});

test("the client refuses what the server would refuse, with the same pointers and reasons", async () => {
    const { api } = signedInClient(tokens);
    const bodies = [
        { assetId: "not-a-uuid", mediaType: "IMAGE", mode: "SLOW", unknown: 1 },
        { assetId: crypto.randomUUID(), mediaType: "IMAGE", mode: "FAST", mask: { polygons: [] } },
        { assetId: crypto.randomUUID(), mediaType: "IMAGE", mode: "FAST", mask: { polygons: [{ points: [{ x: -5, y: 1 }, { x: 1, y: 1e9 }] }] } },
        { assetId: crypto.randomUUID(), mediaType: "IMAGE", mode: "FAST", mask: {} },
        { mediaType: 7, mode: null },
    ];
    for (const body of bodies) {
        const input = { idempotencyKey: key("bad-task"), body };
        const local = api.check("createTask", input);
        assert.ok(local.length > 0, `the client accepts ${JSON.stringify(body)}`);
        await assert.rejects(api.createTask(input), (error) => error instanceof ContractClientError && error.kind === "invalidRequest"
            && JSON.stringify(error.issues) === JSON.stringify(local));
        // The same body sent past the client's check: the server's 40001 lists the same issues.
        const response = await fetch(`${baseURL}/v1/tasks`, {
            method: "POST",
            headers: { "Content-Type": "application/json", Authorization: `Bearer ${tokens.accessToken}`, "Idempotency-Key": input.idempotencyKey },
            body: JSON.stringify(body),
        });
        const answer = await response.json();
        assert.equal(response.status, 400);
        assert.equal(answer.code, 40001);
        assert.deepEqual(sorted(local), sorted(answer.details), JSON.stringify(body));
    }
    // Other operations' bodies: formats, patterns, enums, sizes, unique items, unknown properties.
    const others = [
        ["createUploadPolicy", { fileName: "a/b.png", contentType: "image/gif", sizeBytes: 0 }],
        ["createUploadPolicy", { fileName: "", contentType: "image/png", sizeBytes: 1.5, sha256: "xyz" }],
        ["createWebhookEndpoint", { url: "not a url", events: [] }],
        ["createWebhookEndpoint", { url: "https://example.com/hook", events: ["task.succeeded", "task.succeeded"], extra: true }],
        ["requestAccountDeletion", { confirm: "delete", reason: 5 }],
    ];
    for (const [name, body] of others) {
        const path = operations[name].path;
        const input = { idempotencyKey: key(name), body };
        const local = api.check(name, input);
        assert.ok(local.length > 0, `${name} accepts ${JSON.stringify(body)}`);
        const response = await fetch(baseURL + path, {
            method: "POST",
            headers: { "Content-Type": "application/json", Authorization: `Bearer ${tokens.accessToken}`, "Idempotency-Key": input.idempotencyKey },
            body: JSON.stringify(body),
        });
        const answer = await response.json();
        assert.equal(answer.code, 40001, `${name} ${JSON.stringify(answer)}`);
        assert.deepEqual(sorted(local), sorted(answer.details), `${name} ${JSON.stringify(body)}`);
    }
    // Parameters are checked too, with the server's /header/ pointers.
    const missingKey = api.check("createTask", { body: bodies[1] });
    assert.ok(missingKey.some((issue) => issue.field === "/header/Idempotency-Key" && issue.reason === "is required"));
    // A form can check one schema: a display name too long for the contract.
    const form = validate(schemas.RegisterRequest, { email: "a@b", password: "short", displayName: "x".repeat(500) }, "/body");
    assert.ok(form.some((issue) => issue.field === "/body/displayName"), JSON.stringify(form));
});

test("a declared error answer is an ApiError with its catalog code and both languages' messages", async () => {
    const { api } = signedInClient(tokens, { language: "zh-CN" });
    await assert.rejects(api.getTask({ taskId: crypto.randomUUID() }), (error) => {
        assert.ok(error instanceof ApiError);
        assert.equal(error.status, 404);
        assert.equal(error.declared, true);
        assert.ok(error.symbol && error.symbol.length > 0);
        assert.equal(error.messageIn("en"), errorMessage(error.code, "en"));
        assert.equal(error.messageIn("zh-CN"), errorMessage(error.code, "zh-CN"));
        assert.notEqual(errorMessage(error.code, "en"), errorMessage(error.code, "zh-CN"));
        assert.ok(error.requestId);
        return true;
    });
});

test("an expired access token is renewed once for every caller refused at the same time", async () => {
    const fresh = await new APIClient({ baseURL }).login({ idempotencyKey: key("login"), body: { email, password } });
    const stale = { accessToken: fresh.body.tokens.accessToken.slice(0, -4) + "AAAA", refreshToken: fresh.body.tokens.refreshToken };
    const { api, session, counter } = signedInClient(stale);
    const answers = await Promise.all(Array.from({ length: 5 }, () => api.getMe()));
    assert.deepEqual(answers.map((answer) => answer.body.email), Array(5).fill(email));
    assert.equal(counter.refreshes, 1);
    assert.notEqual(session.accessToken, stale.accessToken);
    assert.notEqual(session.tokens.refreshToken, stale.refreshToken, "the refresh token rotates");
});

test("a refused refresh signs out and the call fails with the server's 401", async () => {
    const { api, session } = signedInClient({ accessToken: "not-a-token", refreshToken: "not-a-refresh-token-" + "x".repeat(40) });
    await assert.rejects(api.getMe(), (error) => error instanceof ApiError && error.status === 401);
    assert.equal(session.tokens, null);
});

test("idempotent requests are retried on 503 honouring Retry-After; others are not", async () => {
    let attempts = 0;
    const flaky = async (url, init) => {
        attempts += 1;
        if (attempts <= 2) return new Response(JSON.stringify({ code: 50301, message: "busy", requestId: "r" }), { status: 503, headers: { "Retry-After": "0" } });
        return fetch(url, init);
    };
    const retried = new APIClient({ baseURL, fetch: flaky });
    const capabilities = await retried.getCapabilities();
    assert.equal(capabilities.status, 200);
    assert.equal(attempts, 3);

    attempts = 0;
    const once = new APIClient({ baseURL, fetch: async () => { attempts += 1; return new Response("{}", { status: 503 }); } });
    await assert.rejects(once.login({ idempotencyKey: key("login"), body: { email, password } }));
    assert.equal(attempts, 4, "a POST with an Idempotency-Key is retried (4 attempts)");
    attempts = 0;
    await assert.rejects(once.deleteTask({ taskId: crypto.randomUUID() }));
    assert.equal(attempts, 1, "a DELETE (without an Idempotency-Key) is sent once");
});

test("an answer the contract does not declare says so, with its status and an excerpt", async () => {
    const api = new APIClient({ baseURL, fetch: async () => new Response("<html>teapot</html>", { status: 418 }) });
    await assert.rejects(api.getCapabilities(), (error) => error instanceof ContractClientError && error.kind === "undeclaredResponse"
        && error.status === 418 && error.excerpt.includes("teapot"));
});

test("upload, task, live events, result: a photo comes back clean", async () => {
    const { api } = signedInClient(tokens);
    const policy = await api.createUploadPolicy({
        idempotencyKey: key("upload"), body: { fileName: "holiday.png", contentType: "image/png", sizeBytes: photo.length },
    });
    const put = await fetch(policy.body.uploadUrl, { method: "PUT", headers: policy.body.headers, body: photo });
    assert.equal(put.status, 200, await put.text());
    const created = await api.createTask({
        idempotencyKey: key("task"),
        body: {
            assetId: policy.body.assetId, mediaType: "IMAGE", mode: "FAST",
            mask: { polygons: [{ points: [{ x: 460, y: 490 }, { x: 1460, y: 490 }, { x: 1460, y: 590 }, { x: 460, y: 590 }] }] },
        },
    });
    assert.equal(created.status, 201);
    const statuses = [];
    for await (const event of api.streamTaskEvents({ taskId: created.body.id })) {
        assert.equal(event.data.taskId, created.body.id);
        statuses.push(event.data.status);
        if (["SUCCEEDED", "FAILED", "CANCELLED"].includes(event.data.status)) break;
    }
    assert.equal(statuses.at(-1), "SUCCEEDED", statuses.join(" → "));
    const result = await api.getTaskResult({ taskId: created.body.id });
    const download = await fetch(result.body.resultUrl);
    const bytes = new Uint8Array(await download.arrayBuffer());
    assert.equal(download.status, 200);
    assert.deepEqual(Array.from(bytes.slice(0, 4)), [0x89, 0x50, 0x4e, 0x47]);
    assert.equal(bytes.length, result.body.sizeBytes);
});
