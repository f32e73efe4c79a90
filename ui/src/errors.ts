// How an error looks everywhere in the window: the engine's words, its fix, and a button that
// copies everything needed to ask for help.

import { api, type IpcError } from "./api";
import { h } from "./dom";
import type { Said } from "./servers";

/** `fixes`: buttons that apply the fix in one click, shown first. */
export function errorPanel(err: IpcError, title = "Something went wrong", fixes: HTMLElement[] = []): HTMLElement {
  const copied = h("span", { class: "muted", "aria-live": "polite" });
  const copy = h(
    "button",
    {
      type: "button",
      class: "secondary",
      onclick: async () => {
        try {
          await api.copy(err.details);
          copied.textContent = "Copied.";
        } catch {
          copied.textContent = "Could not copy; select the text below instead.";
        }
      },
    },
    "Copy details",
  );
  return h(
    "div",
    { class: "error", role: "alert" },
    h("h3", {}, title),
    h("p", { class: "error-message" }, err.message),
    err.hint ? h("p", { class: "hint" }, h("strong", {}, "How to fix: "), err.hint) : null,
    h("div", { class: "row" }, ...fixes, copy, copied),
    err.details !== err.message
      ? h("details", {}, h("summary", {}, "Details"), h("pre", {}, err.details))
      : null,
  );
}

/** The answer to a button, under it: words, or an error panel. */
export function said(s: Said | null): HTMLElement | null {
  if (!s) return null;
  return "text" in s ? h("span", { class: "muted" }, s.text) : errorPanel(s.error, s.title);
}
