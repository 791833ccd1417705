// Code a team would write against the generated TypeScript client; `tsc --noEmit` (scripts/test)
// fails when a contract change breaks it (a renamed field, a removed operation or enum case).
import { APIClient, ApiError, ContractClientError, TokenSession, errorCatalog, errorMessage, schemas, validate } from "../../Sources/WatermarkWeb/app/client/index.js";
import type { FieldIssue, Tokens } from "../../Sources/WatermarkWeb/app/client/index.js";
import type { CreateTaskInput, CreateTaskErrorCode } from "../../Sources/WatermarkWeb/app/client/client.js";
import type { Task, TaskStatus, CreateTaskRequest } from "../../Sources/WatermarkWeb/app/client/types.js";

export async function signIn(api: APIClient, email: string, password: string): Promise<Tokens> {
    const answer = await api.login({ idempotencyKey: crypto.randomUUID(), body: { email, password } });
    return { accessToken: answer.body.tokens.accessToken, refreshToken: answer.body.tokens.refreshToken };
}

export function makeClient(baseURL: string): APIClient {
    const session = new TokenSession();
    const api = new APIClient({ baseURL, session, language: "zh-CN" });
    session.refresher = async (refreshToken) => {
        // The same refresh token always sends the same key, so a retried refresh replays instead of failing.
        const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(refreshToken)));
        const idempotencyKey = "refresh-" + Array.from(digest.slice(0, 16), (byte) => byte.toString(16).padStart(2, "0")).join("");
        const answer = await api.refreshTokens({ idempotencyKey, body: { refreshToken } });
        return { accessToken: answer.body.accessToken, refreshToken: answer.body.refreshToken };
    };
    return api;
}

export function fieldsToMark(request: CreateTaskRequest): FieldIssue[] {
    return validate(schemas.CreateTaskRequest, request, "/body");
}

export async function removeWithMask(api: APIClient, assetId: string, key: string): Promise<Task> {
    const input: CreateTaskInput = {
        idempotencyKey: key,
        body: { assetId, mediaType: "IMAGE", mode: "FAST", mask: { polygons: [{ points: [{ x: 10, y: 10 }, { x: 200, y: 10 }, { x: 200, y: 80 }] }] } },
    };
    try {
        const created = await api.createTask(input);
        const task: Task = created.body;
        return task;
    } catch (error) {
        if (error instanceof ApiError) {
            const code = error.code as CreateTaskErrorCode;
            const name: string = errorCatalog[40001].name;
            throw new Error(`${code} ${name} ${error.messageIn("en")} ${errorMessage(code, "zh-CN") ?? ""}`);
        }
        if (error instanceof ContractClientError && error.kind === "invalidRequest") {
            throw new Error(error.issues.map((issue) => issue.field).join(", "));
        }
        throw error;
    }
}

export async function follow(api: APIClient, taskId: string): Promise<TaskStatus | undefined> {
    let status: TaskStatus | undefined;
    for await (const event of api.streamTaskEvents({ taskId })) {
        status = event.data.status;
    }
    return status;
}

export async function firstPage(api: APIClient): Promise<string[]> {
    const page = await api.listTasks({ status: "SUCCEEDED", limit: 20 });
    return page.body.items.map((task) => `${task.id} ${task.status} ${task.progress}`);
}
