// Marking a form's fields with what the contract says is wrong with them, before sending (the client's
// own check) or after (the server's 40001 details): the same `/body/<field>` pointers either way.
import { h } from "./dom.js";

/** A labelled input whose errors show under it; `name` is the body property it edits. */
export function field(label, name, attributes = {}) {
    const id = "field-" + name;
    const input = h("input", { id, name, "aria-describedby": id + "-error", ...attributes });
    return h("label", { for: id }, label, input, h("span", { id: id + "-error", class: "field-error", role: "alert" }));
}

/** Clears every mark, then marks the fields `issues` point at (`/body/email` → the `email` input);
 *  returns the issues no field shows (to say elsewhere). */
export function markIssues(form, issues, translate = (reason) => reason) {
    for (const input of form.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
    for (const message of form.querySelectorAll(".field-error")) message.textContent = "";
    const unplaced = [];
    for (const issue of issues) {
        const name = issue.field.replace(/^\/body\//, "").split("/")[0];
        const input = form.querySelector(`[name="${CSS.escape(name)}"]`);
        if (!input) {
            unplaced.push(issue);
            continue;
        }
        input.setAttribute("aria-invalid", "true");
        const message = form.querySelector(`#field-${CSS.escape(name)}-error`);
        if (message) message.textContent = [message.textContent, translate(issue.reason)].filter(Boolean).join("; ");
    }
    const first = form.querySelector("[aria-invalid=true]");
    if (first instanceof HTMLElement) first.focus();
    return unplaced;
}
