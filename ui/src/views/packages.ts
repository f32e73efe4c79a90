// Packages: what the current project's `.venv` holds, a search of the package index, and Add,
// Remove, Update, Keep and Freeze versions — each change with the live step list of Start.

import type { App } from "../app";
import type { Package } from "../api";
import { h } from "../dom";
import { errorPanel } from "../errors";
import { progressView } from "./progress";

export function packagesView(app: App): HTMLElement {
  const pane = app.packages;
  const project = app.home.project;
  const file = pane.listing?.file?.split(/[\\/]/).pop() ?? "requirements.txt";
  return h(
    "section",
    { class: "packages", "aria-label": "Packages" },
    h("h1", {}, "Packages"),
    h(
      "p",
      { class: "muted" },
      project ? `${project.name}: changes go into ${file} first, then into the project's environment.` : "",
    ),
    pane.error ? errorPanel(pane.error, "Could not read the packages") : null,
    pane.listing?.not_editable ? h("p", { class: "warning", role: "status" }, "⚠ ", pane.listing.not_editable) : null,
    searchForm(app),
    changeStatus(app),
    actions(app),
    pane.listing ? table(app, pane.listing.packages) : h("p", { class: "muted" }, "Reading the environment…"),
  );
}

function searchForm(app: App): HTMLElement {
  const pane = app.packages;
  const input = h("input", {
    id: "package-search",
    type: "search",
    placeholder: "Package name, e.g. seaborn or numpy>=2",
    "aria-label": "Package name",
    autocomplete: "off",
    spellcheck: "false",
    value: pane.query,
  });
  const form = h(
    "form",
    {
      class: "row search",
      role: "search",
      onsubmit: (e: Event) => {
        e.preventDefault();
        void pane.search(input.value);
      },
    },
    input,
    h("button", { type: "submit", class: "secondary", disabled: pane.searching }, pane.searching ? "Looking up…" : "Look up"),
  );
  const found = pane.found;
  const result = found
    ? h(
        "div",
        { class: "card found-package", "data-package": found.name },
        h("h2", {}, found.name, " ", h("span", { class: "muted" }, found.latest ?? "no release yet")),
        found.summary ? h("p", {}, found.summary) : null,
        h(
          "button",
          {
            type: "button",
            "data-action": "add",
            disabled: pane.busy,
            onclick: () => void pane.add(requirementFor(pane.query, found.name)),
          },
          `Add ${found.name}`,
        ),
      )
    : null;
  return h(
    "div",
    { class: "package-search" },
    form,
    pane.searchError ? errorPanel(pane.searchError, "Not found") : null,
    result,
  );
}

/** What the user typed when it names the found package with a version (`numpy>=2`), else the
 * name. */
function requirementFor(query: string, name: string): string {
  const norm = (s: string) => s.toLowerCase().replace(/[-_.]+/g, "-");
  const typedName = query.match(/^[A-Za-z0-9._-]+/)?.[0] ?? "";
  return norm(typedName) === norm(name) ? query.trim() : name;
}

function changeStatus(app: App): HTMLElement | null {
  const pane = app.packages;
  const run = pane.run;
  const parts: (HTMLElement | null)[] = [];
  if (run && (!run.progress.finished || run.error)) {
    parts.push(progressView(run.progress, run.showLog, (open) => pane.showRunLog(open)));
  }
  if (run?.error) parts.push(errorPanel(run.error, "The change was not made"));
  if (pane.result) parts.push(h("p", { class: "notice", role: "status" }, pane.result));
  for (const g of pane.gpu) {
    parts.push(h("p", { class: g.fix ? "warning gpu-check" : "notice gpu-check", role: "status" }, g.fix ? `⚠ ${g.summary}. To fix: ${g.fix}.` : g.summary));
  }
  if (pane.restartNeeded) {
    parts.push(
      h(
        "div",
        { class: "notice restart-kernels", role: "status" },
        "The project's notebook is running: restart its kernel to use the change. ",
        h("button", { type: "button", class: "secondary", "data-action": "restart-kernels", onclick: () => void pane.restartKernels() }, "Restart kernel"),
      ),
    );
  }
  return parts.length ? h("div", { class: "change-status" }, parts) : null;
}

function actions(app: App): HTMLElement {
  const pane = app.packages;
  const requested = pane.listing?.packages.filter((p) => p.kind === "requested") ?? [];
  const editable = !pane.listing?.not_editable;
  return h(
    "div",
    { class: "row" },
    h(
      "button",
      { type: "button", class: "secondary", "data-action": "update-all", disabled: pane.busy || !editable || requested.length === 0, onclick: () => void pane.update([]) },
      "Update all",
    ),
    h(
      "button",
      { type: "button", class: "secondary", "data-action": "freeze", disabled: pane.busy || !pane.listing?.packages.length, onclick: () => void pane.freeze() },
      "Freeze versions",
    ),
  );
}

const KIND_LABEL = { requested: "requested", pulled_in: "pulled in", not_in_project: "not in the project" } as const;

function table(app: App, packages: Package[]): HTMLElement {
  if (packages.length === 0) {
    return h("p", { class: "muted" }, "No packages are installed yet: press Start Notebook on Home, or add one above.");
  }
  const order = { requested: 0, not_in_project: 1, pulled_in: 2 } as const;
  const sorted = [...packages].sort((a, b) => order[a.kind] - order[b.kind] || a.name.localeCompare(b.name));
  return h(
    "table",
    { class: "package-list", "aria-label": "Installed packages" },
    h("thead", {}, h("tr", {}, h("th", {}, "Package"), h("th", {}, "Version"), h("th", {}, "In the project"), h("th", {}, h("span", { class: "sr-only" }, "Actions")))),
    h("tbody", {}, sorted.map((p) => row(app, p))),
  );
}

function row(app: App, p: Package): HTMLElement {
  const pane = app.packages;
  const editable = !pane.listing?.not_editable;
  const button = (label: string, action: string, fn: () => Promise<void>, danger = false) =>
    h("button", { type: "button", class: danger ? "danger small" : "secondary small", "data-action": action, "aria-label": `${label} ${p.name}`, disabled: pane.busy || !editable, onclick: () => void fn() }, label);
  const buttons =
    p.kind === "requested"
      ? [button("Update", "update", () => pane.update([p.name])), button("Remove", "remove", () => pane.remove(p.name), true)]
      : p.kind === "not_in_project"
        ? [button("Keep", "keep", () => pane.keep(p.name)), button("Remove", "remove", () => pane.remove(p.name), true)]
        : [];
  const why = p.kind === "pulled_in" && p.needed_by.length ? `for ${p.needed_by.join(", ")}` : KIND_LABEL[p.kind];
  return h(
    "tr",
    { "data-package": p.name, "data-kind": p.kind },
    h("td", {}, h("span", { class: "package-name" }, p.name), p.summary ? h("div", { class: "muted small" }, p.summary) : null),
    h("td", {}, p.version),
    h("td", {}, h("span", { class: `badge ${p.kind === "not_in_project" ? "warn" : p.kind === "requested" ? "ok" : ""}` }, why)),
    h("td", { class: "actions" }, buttons),
  );
}
