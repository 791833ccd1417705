// Following a task: its event stream while it is open; when the stream is unavailable, polling every
// 3 s, backing off to 15 s (plan §18), until the task ends or the page stops following it.
import { api } from "./session.js";
import { terminalStatuses } from "./problems.js";

/**
 * Calls `onUpdate({status, progress, errorCode})` on every change after `since` (the `updatedAt` of the task
 * the page shows: the stream replays a task's earlier events, which must not undo a retry) until the task
 * ends; returns a function that stops following.
 * @param {string} taskId
 * @param {string} since
 * @param {(update: {status: import("../client/types.js").TaskStatus, progress: number, errorCode?: number | null}) => void} onUpdate
 */
export function follow(taskId, since, onUpdate) {
    const controller = new AbortController();
    const from = Date.parse(since);
    (async () => {
        try {
            for await (const event of api.streamTaskEvents({ taskId }, { signal: controller.signal, reconnects: 2 })) {
                if (Date.parse(event.data.at) < from) continue;
                onUpdate(event.data);
                if (terminalStatuses.includes(event.data.status)) return;
            }
        } catch {
            if (controller.signal.aborted) return;
        }
        // The stream ended early or is unavailable: poll.
        let wait = 3000;
        while (!controller.signal.aborted) {
            try {
                const task = (await api.getTask({ taskId }, { signal: controller.signal })).body;
                onUpdate(task);
                if (terminalStatuses.includes(task.status)) return;
            } catch {
                if (controller.signal.aborted) return;
            }
            await new Promise((resolve) => setTimeout(resolve, wait));
            wait = Math.min(wait * 1.5, 15000);
        }
    })();
    return () => controller.abort();
}
