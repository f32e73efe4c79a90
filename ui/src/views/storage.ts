// Settings → Storage: what Darwinix takes on this disk, and the buttons that give it back.
// Draws from the store's `settings.storage` and calls its intents, nothing else.

import type { App } from "../app";
import type { ProjectSpace } from "../bindings/ProjectSpace";
import type { Problem } from "../bindings/Problem";
import type { PurgeReport } from "../bindings/PurgeReport";
import type { StorageReport } from "../bindings/StorageReport";
import { h } from "../dom";
import { errorPanel, said } from "../errors";
import { ago, bytes } from "../format";

export function storageSection(app: App): HTMLElement {
  const s = app.settings.storage;
  const body = s.report ? figures(app, s.report) : s.error ? errorPanel(s.error, "The sizes could not be measured") : h("p", { class: "muted", role: "status" }, "Measuring…");
  return h(
    "section",
    { class: "storage", "aria-labelledby": "storage-title" },
    h("h2", { id: "storage-title" }, "Storage"),
    h("p", { class: "help" }, "What Darwinix takes on this disk. Your notebooks and other files are never removed here."),
    body,
    h("div", { "aria-live": "polite" }, said(s.said)),
    uninstall(app),
  );
}

/** Before uninstalling: Remove Darwinix's data…, its confirmation, then what it did and Quit. */
function uninstall(app: App): HTMLElement {
  const s = app.settings.storage;
  const title = h("h3", {}, "Uninstalling Darwinix");
  if (s.purged) return h("div", { class: "storage-uninstall" }, title, purged(app, s.purged));
  if (s.purgePreview) return h("div", { class: "storage-uninstall" }, title, confirmPurge(app, s.purgePreview));
  return h(
    "div",
    { class: "storage-uninstall" },
    title,
    h("p", { class: "help" }, "Before you remove the program: this removes everything Darwinix made outside your projects. You see the list first."),
    h("button", { type: "button", id: "purge-data", class: "secondary", disabled: s.busy !== null, onclick: () => void s.askPurge() }, s.busy === "purge" ? "Listing…" : "Remove Darwinix's data…"),
  );
}

function confirmPurge(app: App, r: PurgeReport): HTMLElement {
  const s = app.settings.storage;
  const total = r.removed.reduce((n, x) => n + x.bytes, 0);
  return h(
    "div",
    { class: "notice", role: "alertdialog", "aria-label": "Remove Darwinix's data" },
    h("p", {}, r.servers > 0 ? `Stop ${r.servers} running server${r.servers === 1 ? "" : "s"} and remove (${bytes(total)} in all):` : `Remove (${bytes(total)} in all):`),
    removedList(r),
    ...left(r),
    ...r.problems.map(problemLine),
    h(
      "div",
      { class: "row" },
      h("button", { type: "button", id: "confirm-purge", class: "primary", onclick: () => void s.purge() }, "Remove"),
      h("button", { type: "button", class: "secondary", onclick: () => s.cancelPurge() }, "Cancel"),
    ),
  );
}

function purged(app: App, r: PurgeReport): HTMLElement {
  const s = app.settings.storage;
  const total = r.removed.reduce((n, x) => n + x.bytes, 0);
  return h(
    "div",
    { class: "notice", role: "status", id: "purged" },
    h("p", {}, r.problems.length ? `Removed ${bytes(total)}, but not everything:` : `Darwinix's data is removed: ${bytes(total)} freed.`),
    removedList(r),
    ...r.problems.map(problemLine),
    ...left(r),
    h("p", {}, "Now quit Darwinix and remove the program the way it was installed: Ubuntu's App Center or your software manager on Linux, Settings → Apps on Windows, or drag Darwinix from Applications to the Bin on a Mac. Using Darwinix again instead starts it afresh."),
    h("div", { class: "row" }, h("button", { type: "button", id: "quit-app", class: "primary", onclick: () => void s.quit() }, "Quit Darwinix")),
  );
}

function removedList(r: PurgeReport): HTMLElement {
  if (r.removed.length === 0) return h("p", { class: "muted" }, "Nothing: Darwinix has no files here.");
  return h("ul", { class: "purge-list" }, ...r.removed.map((x) => h("li", {}, `${bytes(x.bytes)} — ${x.what}`, x.path ? h("span", { class: "path" }, ` ${x.path}`) : null)));
}

/** What stays on purpose: the user's projects with their .venvs, uv's cache, remote agents. */
function left(r: PurgeReport): HTMLElement[] {
  const l = r.left;
  const out = [
    h("p", {}, l.projects.length ? `Left in place: your ${l.projects.length} project${l.projects.length === 1 ? "" : "s"} with ${l.projects.length === 1 ? "its" : "their"} .venv (${bytes(l.venvsBytes)} in all; remove a .venv above first if you want that space back).` : "Left in place: your notebooks and other files."),
  ];
  if (l.uvCache.path) out.push(h("p", { class: "muted" }, `Also left: uv's download cache (${bytes(l.uvCache.bytes)}), which other programs may share: Free up uv cache above makes it smaller.`));
  for (const host of l.remoteHosts) out.push(h("p", { class: "muted" }, `Also left: Darwinix's helper on ${host}, in the folder .local/share/darwinix of your account there.`));
  return out;
}

function figures(app: App, r: StorageReport): HTMLElement {
  const s = app.settings.storage;
  const unused = r.runtimes.filter((x) => !x.current && !x.inUse);
  const unusedBytes = unused.reduce((n, x) => n + x.bytes, 0);
  const runtimes = r.runtimes.reduce((n, x) => n + x.bytes, 0);
  const problems: Problem[] = [...r.runtimes.flatMap((x) => x.problems), ...r.uvCache.problems, ...r.own.problems];
  return h(
    "div",
    {},
    h(
      "dl",
      { class: "facts storage-figures" },
      h("dt", {}, "JupyterLab"),
      h("dd", { id: "storage-runtimes" }, bytes(runtimes), h("span", { class: "muted" }, unused.length ? ` — ${bytes(unusedBytes)} in ${unused.length} unused earlier version${unused.length === 1 ? "" : "s"}` : " — shared by every project")),
      h("dt", {}, "uv cache"),
      h("dd", { id: "storage-uv" }, r.uvCache.path ? bytes(r.uvCache.bytes) : "none yet", r.uvCache.path ? h("span", { class: "muted" }, " — downloaded packages, kept so the next install is quick") : null),
      h("dt", {}, "Darwinix's own data"),
      h("dd", { id: "storage-own" }, bytes(r.own.bytes), h("span", { class: "muted" }, " — settings, logs and caches")),
    ),
    h(
      "div",
      { class: "row" },
      h("button", { type: "button", id: "free-uv-cache", class: "secondary", disabled: s.busy !== null || !r.uvCache.path, onclick: () => void s.freeUvCache() }, s.busy === "uv" ? "Freeing up…" : "Free up uv cache"),
      h("button", { type: "button", id: "remove-runtimes", class: "secondary", disabled: s.busy !== null || unused.length === 0, title: unused.length === 0 ? "Every runtime here is the current one or in use" : undefined, onclick: () => void s.removeUnusedRuntimes() }, s.busy === "runtimes" ? "Removing…" : "Remove unused runtimes"),
    ),
    ...problems.map(problemLine),
    h("h3", {}, "Projects' environments (.venv)"),
    r.projects.length === 0 ? h("p", { class: "muted" }, "No projects yet: the projects you open are listed here.") : h("ul", { class: "storage-projects" }, ...r.projects.map((p) => project(app, p, r))),
  );
}

function project(app: App, p: ProjectSpace, r: StorageReport): HTMLElement {
  const s = app.settings.storage;
  const when = p.lastOpened === null ? "never opened" : `opened ${ago(Math.max(0, Date.now() / 1000 - p.lastOpened))}`;
  const badge = p.running ? h("span", { class: "badge ok" }, "Running") : p.stale ? h("span", { class: "badge warn", title: `Not opened for ${r.staleDays} days` }, `Not opened for ${r.staleDays} days`) : null;
  const remove = p.running
    ? h("span", { class: "help" }, "Stop it in Running servers to remove its .venv.")
    : p.hasVenv
      ? h("button", { type: "button", class: "secondary", "data-dir": p.dir, disabled: s.busy !== null, onclick: () => s.askRemoveVenv(p.dir) }, s.busy === p.dir ? "Removing…" : "Remove .venv")
      : h("span", { class: "muted" }, "No .venv: made at its next start.");
  return h(
    "li",
    { class: "storage-project" },
    h("div", { class: "card-head" }, h("strong", {}, p.name), h("span", {}, p.hasVenv ? bytes(p.bytes) : "—")),
    h("p", { class: "path" }, p.dir),
    h("div", { class: "row" }, h("span", { class: "muted" }, when), badge, remove),
    s.confirming === p.dir ? confirm(app, p) : null,
    ...p.problems.map(problemLine),
  );
}

function confirm(app: App, p: ProjectSpace): HTMLElement {
  const s = app.settings.storage;
  return h(
    "div",
    { class: "notice", role: "alertdialog", "aria-label": `Remove the .venv of ${p.name}` },
    h("p", {}, `Remove the .venv of ${p.name} (${bytes(p.bytes)})? Your notebooks and other files are kept. The next Start Notebook makes it again, which takes a while and needs the network.`),
    h(
      "div",
      { class: "row" },
      h("button", { type: "button", id: "confirm-remove-venv", class: "primary", onclick: () => void s.removeVenv(p.dir) }, "Remove .venv"),
      h("button", { type: "button", class: "secondary", onclick: () => s.cancel() }, "Cancel"),
    ),
  );
}

function problemLine(p: Problem): HTMLElement {
  return h("p", { class: "warning" }, p.message, p.hint ? h("span", { class: "muted" }, ` — ${p.hint}`) : null);
}
