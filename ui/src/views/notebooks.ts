// Home's notebook lists: the project's notebooks (newest first, a dozen until "Show all"),
// the recent ones across projects, and where to go when the browser could not be opened.

import type { App } from "../app";
import type { BrowserFailed, NotebookView, RecentNotebook } from "../api";
import { h } from "../dom";
import { said } from "../errors";
import { ago } from "../format";

/** How many of the project's notebooks show before "Show all". */
export const SHOWN = 12;

export function notebookList(app: App): HTMLElement | null {
  const home = app.home;
  const all = home.notebooks;
  if (all === null) return null;
  const shown = home.showAllNotebooks ? all : all.slice(0, SHOWN);
  const now = Date.now() / 1000;
  const item = (nb: NotebookView) =>
    h(
      "li",
      {},
      h(
        "button",
        {
          type: "button",
          class: "link notebook",
          "data-notebook": nb.path,
          disabled: app.busy,
          title: `Open ${nb.path}`,
          onclick: () => void home.starts.start(nb.path),
        },
        h("span", { class: "nb-name" }, nb.name),
        folderOf(nb.path) ? h("span", { class: "muted small" }, ` ${folderOf(nb.path)}`) : null,
      ),
      h("span", { class: "muted small" }, ago(now - nb.modified)),
    );
  return h(
    "section",
    { class: "box notebooks", "aria-labelledby": "notebooks-title" },
    h("h2", { id: "notebooks-title" }, "Notebooks in this project"),
    all.length === 0
      ? h("p", { class: "muted" }, "No notebooks yet: Start Notebook, then make one from JupyterLab's launcher.")
      : h("ul", { class: "nb-list", id: "notebooks" }, shown.map(item)),
    all.length > SHOWN
      ? h(
          "button",
          {
            type: "button",
            class: "secondary",
            id: "show-all-notebooks",
            onclick: () => home.toggleAllNotebooks(),
          },
          home.showAllNotebooks ? "Show fewer" : `Show all ${all.length}`,
        )
      : null,
  );
}

export function recentNotebooks(app: App): HTMLElement | null {
  const recent = app.home.data?.recent_notebooks ?? [];
  if (recent.length === 0) return null;
  const item = (nb: RecentNotebook) =>
    h(
      "li",
      {},
      h(
        "button",
        {
          type: "button",
          class: "link notebook",
          disabled: app.busy,
          title: nb.file,
          onclick: () => void app.home.openPath(nb.file),
        },
        h("span", { class: "nb-name" }, nb.name),
        h("span", { class: "muted small" }, ` in ${nb.project}`),
      ),
    );
  return h(
    "section",
    { class: "box notebooks", "aria-labelledby": "recent-notebooks-title" },
    h("h2", { id: "recent-notebooks-title" }, "Recent notebooks"),
    h("ul", { class: "nb-list", id: "recent-notebooks" }, recent.slice(0, 5).map(item)),
  );
}

/** The browser could not be opened: the address, and the two ways to get there. */
export function browserFailedPanel(app: App, failed: BrowserFailed): HTMLElement {
  const panel = app.home.browser;
  return h(
    "div",
    { class: "error browser-failed", role: "alert", id: "browser-failed" },
    h("h3", {}, "Your browser could not be opened"),
    h("p", {}, "JupyterLab is running. Open it from here, or copy the link into your browser:"),
    h("p", { class: "path address", id: "browser-failed-address" }, failed.address),
    h(
      "div",
      { class: "row" },
      h("button", { type: "button", class: "primary", onclick: () => void panel.open() }, "Open in browser"),
      h("button", { type: "button", class: "secondary", onclick: () => void panel.copyLink() }, "Copy link"),
    ),
    h("details", {}, h("summary", {}, "Details"), h("pre", {}, failed.why)),
    h("div", { "aria-live": "polite" }, said(panel.said)),
  );
}

function folderOf(path: string): string {
  const i = path.lastIndexOf("/");
  return i > 0 ? path.slice(0, i) : "";
}
