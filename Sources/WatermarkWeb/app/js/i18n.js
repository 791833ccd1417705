// The interface's language: chosen from the browser (zh-CN for any Chinese, English otherwise) or by
// the user (kept in localStorage — a preference, not a secret), with one table of strings per language.
import en from "./i18n/en.js";
import zhCN from "./i18n/zh-CN.js";

/** @type {Record<string, Record<string, string>>} */
const tables = { en, "zh-CN": zhCN };
export const languages = ["en", "zh-CN"];
const listeners = new Set();

function initial() {
    const saved = localStorage.getItem("language");
    if (saved && tables[saved]) return saved;
    return (navigator.languages ?? [navigator.language]).some((tag) => String(tag).toLowerCase().startsWith("zh")) ? "zh-CN" : "en";
}

let current = initial();

export function language() {
    return current;
}

/** Switches the language and tells every listener (the page re-renders). */
export function setLanguage(tag) {
    if (!tables[tag] || tag === current) return;
    current = tag;
    localStorage.setItem("language", tag);
    document.documentElement.lang = tag;
    for (const listener of listeners) listener(tag);
}

export function onLanguageChange(listener) {
    listeners.add(listener);
}

/**
 * The string `key` in the current language, `{name}` placeholders filled from `values`.
 * @param {string} key
 * @param {Record<string, string | number>} [values]
 */
export function t(key, values = {}) {
    const text = tables[current][key] ?? tables.en[key] ?? key;
    return text.replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? ""));
}

/** A date and time in the current language. */
export function formatDate(iso) {
    return iso ? new Intl.DateTimeFormat(current, { dateStyle: "medium", timeStyle: "short" }).format(new Date(iso)) : "";
}

/** A file size in the current language (KB, MB). */
export function formatBytes(bytes) {
    const units = ["byte", "kilobyte", "megabyte", "gigabyte"];
    let value = bytes;
    let unit = 0;
    while (value >= 1024 && unit < units.length - 1) {
        value /= 1024;
        unit += 1;
    }
    return new Intl.NumberFormat(current, { style: "unit", unit: units[unit], maximumFractionDigits: 1 }).format(value);
}

/** A video's length in the current language (1 min 5 s). */
export function formatDuration(milliseconds) {
    const seconds = Math.round(milliseconds / 1000);
    const minutes = Math.floor(seconds / 60);
    const format = (value, unit) => new Intl.NumberFormat(current, { style: "unit", unit, unitDisplay: "short" }).format(value);
    return minutes > 0 ? `${format(minutes, "minute")} ${format(seconds % 60, "second")}` : format(seconds, "second");
}

document.documentElement.lang = current;
