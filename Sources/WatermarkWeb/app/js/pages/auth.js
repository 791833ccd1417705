// Sign in and sign up. After either, the user goes back where they were sent from (`next`).
import { schemas, validate } from "../../client/index.js";
import { h, show } from "../dom.js";
import { field, markIssues } from "../forms.js";
import { t } from "../i18n.js";
import { describe, fieldIssues } from "../problems.js";
import { signIn, signUp } from "../session.js";

/** @param {HTMLElement} main @param {{next: string, register: boolean}} options */
export function authPage(main, { next, register }) {
    const message = h("p", { class: "error", role: "alert" });
    const form = h("form", { novalidate: true },
        field(t("email"), "email", { type: "email", autocomplete: "email", required: true }),
        field(t("password"), "password", { type: "password", autocomplete: register ? "new-password" : "current-password", required: true }),
        register ? field(t("displayName"), "displayName", { autocomplete: "nickname", required: true }) : null,
        h("button", { class: "primary", type: "submit" }, register ? t("signUp") : t("signIn")),
        message);
    form.addEventListener("submit", async (event) => {
        event.preventDefault();
        const data = new FormData(/** @type {HTMLFormElement} */ (form));
        const body = { email: String(data.get("email") ?? ""), password: String(data.get("password") ?? "") };
        if (register) Object.assign(body, { displayName: String(data.get("displayName") ?? "") });
        // The contract's own checks first: the fields are marked before anything is sent.
        const issues = validate(register ? schemas.RegisterRequest : schemas.LoginRequest, body, "/body");
        message.textContent = "";
        if (markIssues(form, issues).length > 0 || issues.length > 0) return;
        const button = form.querySelector("button");
        if (button) button.disabled = true;
        try {
            if (register) await signUp(body.email, body.password, /** @type {any} */ (body).displayName);
            else await signIn(body.email, body.password);
            location.hash = next || "#/upload";
        } catch (error) {
            markIssues(form, fieldIssues(error));
            message.textContent = describe(error);
        } finally {
            if (button) button.disabled = false;
        }
    });
    show(main,
        h("h1", {}, register ? t("signUp") : t("signIn")),
        form,
        h("p", {}, register
            ? h("a", { href: "#/sign-in" + (next ? "?next=" + encodeURIComponent(next) : "") }, t("haveAccount"))
            : h("a", { href: "#/sign-up" + (next ? "?next=" + encodeURIComponent(next) : "") }, t("noAccount"))));
    const first = form.querySelector("input");
    if (first) first.focus();
}
