// Building the page's elements. Text is always set as text (never parsed as HTML), so a file name or
// display name such as `<img src=x onerror=alert(1)>` shows as those characters.

/**
 * An element with attributes and children: `on…` attributes given functions become event listeners,
 * `true` a bare attribute; children are nodes or text.
 * @param {string} tag
 * @param {Record<string, any>} [attributes]
 * @param {...any} children
 * @returns {HTMLElement}
 */
export function h(tag, attributes = {}, ...children) {
    const element = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) {
        if (value === undefined || value === null || value === false) continue;
        if (name.startsWith("on") && typeof value === "function") element.addEventListener(name.slice(2).toLowerCase(), value);
        else if (name === "class") element.className = String(value);
        else element.setAttribute(name, value === true ? "" : String(value));
    }
    for (const child of children.flat()) {
        if (child === undefined || child === null || child === false) continue;
        element.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return element;
}

/** Replaces what `element` shows with `children`. */
export function show(element, ...children) {
    element.replaceChildren(...children.flat().filter((child) => child !== null && child !== undefined && child !== false));
}

let toastTimer = 0;

/** A short message at the bottom of the page, read out by screen readers. */
export function toast(message) {
    const element = document.getElementById("toast");
    if (!element) return;
    element.textContent = message;
    element.classList.add("shown");
    clearTimeout(toastTimer);
    toastTimer = window.setTimeout(() => element.classList.remove("shown"), 5000);
}

/**
 * Asks to confirm a destructive action in a modal `<dialog>`; resolves true when confirmed.
 * @param {string} question
 * @param {string} confirmLabel
 * @param {string} cancelLabel
 * @returns {Promise<boolean>}
 */
export function confirmAction(question, confirmLabel, cancelLabel) {
    return new Promise((resolve) => {
        const dialog = /** @type {HTMLDialogElement} */ (h("dialog", { "aria-label": question },
            h("p", {}, question),
            h("form", { method: "dialog", class: "toolbar" },
                h("button", { value: "cancel", autofocus: true }, cancelLabel),
                h("button", { value: "confirm", class: "danger" }, confirmLabel))));
        dialog.addEventListener("close", () => {
            resolve(dialog.returnValue === "confirm");
            dialog.remove();
        });
        document.body.append(dialog);
        dialog.showModal();
    });
}
