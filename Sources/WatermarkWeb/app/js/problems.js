// Error answers and task states in words: the catalog's message in the user's language for a code,
// the fields a 40001 names, and what each task status means.
import { ApiError, ContractClientError, errorMessage } from "../client/index.js";
import { language, t } from "./i18n.js";

/** What to tell the user about `error` (a refusal, a broken request, no connection). */
export function describe(error) {
    if (error instanceof ApiError) {
        const message = errorMessage(error.code, language()) ?? error.message;
        const wait = error.retryAfter ? " " + t("retryAfter", { seconds: error.retryAfter }) : "";
        return `${message} (${error.code})${wait}`;
    }
    if (error instanceof ContractClientError) {
        if (error.kind === "invalidRequest") return t("checkFields");
        if (error.kind === "transport") return t("offline");
        return t("unexpectedAnswer", { status: error.status ?? "?" });
    }
    return error instanceof Error && error.message ? error.message : t("somethingWentWrong");
}

/** What the user can do about a refusal, as a link (the way out of an exhausted quota), or null. */
export function wayOut(error) {
    if (error instanceof ApiError && error.code === 40302) return { href: "#/plans", label: t("upgradePlan") };
    return null;
}

/** The `{field, reason}` issues of a refusal, whether the client or the server found them. */
export function fieldIssues(error) {
    if (error instanceof ApiError) return error.details;
    if (error instanceof ContractClientError && error.kind === "invalidRequest") return error.issues;
    return [];
}

/** The words for a task status. */
export function statusWords(status) {
    return t("status." + status);
}

export const terminalStatuses = ["SUCCEEDED", "FAILED", "CANCELED"];
