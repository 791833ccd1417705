// The app's shell: the hash routes, the navigation, the language switch, and sending a signed-out user to
// sign in — keeping where they were, to come back after.
import { h, show, toast } from "./dom.js";
import { language, onLanguageChange, setLanguage, t } from "./i18n.js";
import { describe } from "./problems.js";
import { currentUser, onSessionChange, signOut, signedIn } from "./session.js";
import { authPage } from "./pages/auth.js";

// The other pages load the first time they are shown: the first load carries the shell and the sign-in page only
// (the server preloads just main.js's static imports).
const pages = {
    upload: () => import("./pages/upload.js"),
    editor: () => import("./pages/editor.js"),
    task: () => import("./pages/task.js"),
    tasks: () => import("./pages/tasks.js"),
    plans: () => import("./pages/plans.js"),
    account: () => import("./pages/account.js"),
    webhooks: () => import("./pages/webhooks.js"),
    admin: () => import("./pages/admin.js"),
};

const main = /** @type {HTMLElement} */ (document.getElementById("main"));
const nav = /** @type {HTMLElement} */ (document.getElementById("nav"));
const languageSelect = /** @type {HTMLSelectElement} */ (document.getElementById("language"));
/** @type {(() => void)[]} */
let leaving = [];

/** The route in the hash: `#/tasks?status=FAILED` → {path: ["tasks"], query}. */
function route() {
    const [path, query] = location.hash.replace(/^#\/?/, "").split("?");
    return { path: path.split("/").filter(Boolean), query: new URLSearchParams(query ?? "") };
}

function renderNav() {
    languageSelect.value = language();
    const label = document.getElementById("language-label");
    if (label) label.textContent = t("language");
    const brand = document.getElementById("brand");
    if (brand) brand.textContent = t("brand");
    document.title = t("brand");
    if (!signedIn()) {
        show(nav, h("a", { href: "#/sign-in" }, t("signIn")), h("a", { href: "#/sign-up" }, t("signUp")));
        return;
    }
    const out = h("button", {}, t("signOut"));
    out.addEventListener("click", async () => {
        await signOut();
        location.hash = "#/sign-in";
    });
    show(nav, h("a", { href: "#/upload" }, t("upload")), h("a", { href: "#/tasks" }, t("tasks")), h("a", { href: "#/plans" }, t("plans")),
        h("a", { href: "#/webhooks" }, t("webhooks")), h("a", { href: "#/account" }, t("account")),
        currentUser()?.roles.includes("admin") ? h("a", { href: "#/admin/tasks" }, t("console")) : null, out);
}

let ready = false;

async function render() {
    for (const stop of leaving) stop();
    leaving = [];
    renderNav();
    const { path, query } = route();
    const [page, first, second] = path;
    const onLeave = (stop) => leaving.push(stop);
    if (page === "sign-in" || page === "sign-up") {
        authPage(main, { next: query.get("next") ?? "", register: page === "sign-up" });
        markReady();
        return;
    }
    if (!signedIn()) {
        location.hash = "#/sign-in?next=" + encodeURIComponent(location.hash || "#/tasks");
        return;
    }
    try {
        if (page === "upload") await (await pages.upload()).uploadPage(main);
        else if (page === "editor" && first) await (await pages.editor()).editorPage(main, { assetId: first, taskId: second });
        else if (page === "tasks" && first) await (await pages.task()).taskPage(main, { taskId: first }, onLeave);
        else if (page === "plans") await (await pages.plans()).plansPage(main);
        else if (page === "account") await (await pages.account()).accountPage(main);
        else if (page === "webhooks") await (await pages.webhooks()).webhooksPage(main);
        else if (page === "admin" && currentUser()?.roles.includes("admin")) await (await pages.admin()).adminPage(main, { section: first, query });
        else await (await pages.tasks()).tasksPage(main, { status: query.get("status") ?? undefined }, onLeave);
        main.focus();
        markReady();
    } catch (error) {
        show(main, h("h1", {}, t("somethingWentWrong")), h("p", { class: "error" }, describe(error)));
    }
}

/** The first page is on screen and usable (docs/benchmarks.md reads this mark). */
function markReady() {
    if (ready) return;
    ready = true;
    performance.mark("app-ready");
}

languageSelect.addEventListener("change", () => setLanguage(languageSelect.value));
onLanguageChange(() => render());
onSessionChange((isSignedIn) => {
    if (isSignedIn) return;
    // Signed out (by the user, or a renewal the server refused): back to sign-in, keeping the place.
    const here = location.hash;
    if (!here.startsWith("#/sign-")) {
        toast(t("sessionEnded"));
        location.hash = "#/sign-in?next=" + encodeURIComponent(here);
    } else {
        renderNav();
    }
});
window.addEventListener("hashchange", render);
render();
