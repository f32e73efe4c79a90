// Home: the project, its switcher, and the one big button (the state is ../home.ts).

import type { App } from "../app";
import type { IpcError, ProjectView, Template, WayOut } from "../api";
import type { Offers } from "../place";
import { errorPanel } from "../errors";
import { h } from "../dom";
import { courseLine, courseResults } from "./course";
import { browserFailedPanel, notebookList, recentNotebooks } from "./notebooks";
import { openLinkPanel } from "./openLink";
import { progressView } from "./progress";
import { projectSettingsView } from "./projectSettings";
import { sourceSentence } from "../progress";
import { remoteFolderDialog } from "./remote";
import { shareDialog } from "./share";
import { trustAsked, trustPanel } from "./trust";

export function homeView(app: App): HTMLElement {
  const home = app.home;
  if (home.error && !home.data) return h("section", { class: "home" }, errorPanel(home.error, "Darwinix could not open your project"));
  if (!home.data || !home.offers) return h("section", { class: "home" }, h("p", { class: "muted" }, "Loading…"));
  const project = home.data.project;
  const starts = home.starts;
  const run = starts.run && starts.run.dir === project.dir ? starts.run : null;
  return h(
    "section",
    { class: "home" },
    openLinkPanel(app),
    projectCard(app, project, home.offers),
    courseResults(app),
    // A start that stopped for the trust question did not fail: its steps are not shown.
    run && !trustAsked(run.error) ? progressView(run.progress, run.showLog, (open) => starts.showRunLog(open)) : null,
    starts.found && starts.found.dir === project.dir ? foundPanel(app) : null,
    run?.error ? startProblem(app, project.dir, run.error) : null,
    home.browser.failed ? browserFailedPanel(app, home.browser.failed) : null,
    home.offers.notebooks
      ? h("div", { class: "home-lists" }, notebookList(app), recentNotebooks(app))
      : h("p", { class: "muted" }, "This project's notebooks are listed in JupyterLab."),
  );
}

/** The project, its switcher, the one big button and what the project says before a start. */
function projectCard(app: App, project: ProjectView, offers: Offers): HTMLElement {
  const home = app.home;
  return h(
    "div",
    { class: "project-card" },
    h(
      "div",
      { class: "project-head" },
      h(
        "div",
        {},
        h("h1", { id: "project-name" }, project.name),
        h("p", { class: "path", id: "project-dir" }, project.dir),
        offers.host
          ? h("p", { class: "muted", id: "project-host" }, `On ${offers.host}: set up and run there, reached from here over SSH.`)
          : null,
      ),
      switcher(app),
    ),
    startArea(app, project),
    offers.settings ? projectTools(app, project) : null,
    offers.settings ? sourceLine(app) : null,
    home.notice ? h("p", { class: "notice", role: "status" }, home.notice) : null,
    home.error ? errorPanel(home.error) : null,
    offers.settings ? projectSettingsView(app) : null,
  );
}

/** Start Notebook (Open Notebook once the project's server runs), and where it runs. */
function startArea(app: App, project: ProjectView): HTMLElement {
  const server = app.serverOf(project.dir);
  const busy = app.busy;
  const start = h(
    "button",
    {
      type: "button",
      id: "start",
      class: "primary big",
      disabled: busy,
      "aria-describedby": "project-dir",
      onclick: () => void app.home.starts.start(),
    },
    busy ? "Starting…" : server ? "Open Notebook" : "Start Notebook",
  );
  const status = server
    ? h(
        "p",
        { class: "running-line", id: "running-line" },
        h("span", { class: "dot", "aria-hidden": "true" }),
        ` Running at ${server.url}`,
      )
    : null;
  return h("div", { class: "start-area" }, start, status);
}

/** Share…, and where a course came from with its teacher's version's buttons. */
function projectTools(app: App, project: ProjectView): HTMLElement {
  const share = h(
    "button",
    { type: "button", id: "share", class: "secondary", disabled: app.busy, onclick: () => shareDialog(app, project.dir) },
    "Share…",
  );
  return h("div", { class: "project-tools" }, h("div", { class: "row" }, share), courseLine(app));
}

/** Which setup file the packages come from, and what is not used — before anything runs. */
function sourceLine(app: App): HTMLElement | null {
  const j = app.home.settings.value?.jupyter;
  if (!j) return null;
  const used = j.packages_from ? `${j.packages_from}${j.picked_file ? " (your choice)" : ""}` : null;
  return h("p", { class: "muted source", id: "home-source" }, sourceSentence(used, j.not_used));
}

/** What the notebooks of a folder without a list of packages import: installed once the user
 * agrees (and perhaps edits the list). */
function foundPanel(app: App): HTMLElement {
  const starts = app.home.starts;
  const found = starts.found!;
  const text = h("textarea", {
    id: "found-packages",
    rows: Math.min(12, Math.max(3, found.text.split("\n").length + 1)),
    spellcheck: false,
    "aria-describedby": "found-help",
    oninput: (e: Event) => starts.editFound((e.target as HTMLTextAreaElement).value),
  });
  text.value = found.text;
  return h(
    "section",
    { class: "found", "aria-labelledby": "found-title" },
    h("h2", { id: "found-title" }, "Found in your notebooks"),
    h(
      "p",
      { id: "found-help", class: "muted" },
      "This folder has no list of packages. These are the ones its notebooks import; change the list if you like (one per line). Darwinix saves it as requirements.txt and installs them.",
    ),
    h("label", { for: "found-packages", class: "sr-only" }, "Packages to install"),
    text,
    found.warnings.map((w) => h("p", { class: "warning" }, "⚠ ", w)),
    h(
      "div",
      { class: "row" },
      h("button", { type: "button", id: "install-found", class: "primary", onclick: () => void starts.installFound() }, "Install and start"),
      h("button", { type: "button", class: "secondary", onclick: () => starts.cancelFound() }, "Cancel"),
    ),
  );
}

/** The button of one of a failed install's ways out. */
function wayOutLabel(way: WayOut): string {
  switch (way.kind) {
    case "useVersion":
      return `Use ${way.package} ${way.version}`;
    case "usePython":
      return `Use Python ${way.version} for this project`;
    case "startWithout":
      return `Start without ${way.package}`;
    case "startWithCurrentVersions":
      return "Start with current versions";
  }
}

/** Why a start stopped: the trust prompt when it asks first, else the error and its fixes. */
function startProblem(app: App, dir: string, err: IpcError): HTMLElement {
  const ask = trustAsked(err);
  if (ask) return trustPanel(app, dir, ask);
  return errorPanel(err, "Your notebook could not start", errorFixes(app, err));
}

/** One-click fixes the engine offers for an error. */
function errorFixes(app: App, err: IpcError): HTMLElement[] {
  if (err.action === "startWithCurrentVersions") {
    return [
      h(
        "button",
        { type: "button", id: "current-versions", class: "primary", onclick: () => void app.home.startWithCurrentVersions() },
        "Start with current versions",
      ),
    ];
  }
  if (err.action === "useSharedJupyterLab") {
    return [
      h(
        "button",
        { type: "button", id: "shared-jupyterlab", class: "primary", onclick: () => void app.home.startWithSharedJupyterlab() },
        "Use Darwinix's JupyterLab instead",
      ),
    ];
  }
  const action = err.action;
  if (action !== null && typeof action === "object" && "waysOut" in action) {
    return action.waysOut.ways.map((way, i) =>
      h(
        "button",
        { type: "button", class: i === 0 ? "primary way-out" : "secondary way-out", onclick: () => void app.home.takeWayOut(way) },
        wayOutLabel(way),
      ),
    );
  }
  if (action !== null && typeof action === "object" && "installBig" in action) {
    const { bytes, size } = action.installBig;
    return [
      h(
        "button",
        { type: "button", id: "install-big", class: "primary", onclick: () => void app.home.installBig(bytes) },
        `Install (${size})`,
      ),
    ];
  }
  return [];
}

function switcher(app: App): HTMLElement {
  const home = app.home.data!;
  const others = home.recent.filter((p) => p.dir !== home.project.dir);
  const select = h(
    "select",
    {
      id: "recent",
      "aria-label": "Recent projects",
      disabled: app.busy || others.length === 0,
      onchange: (e: Event) => {
        const dir = (e.target as HTMLSelectElement).value;
        if (dir) void app.home.openProject(dir);
      },
    },
    h("option", { value: "" }, others.length ? "Recent projects…" : "No other projects yet"),
    others.map((p) => h("option", { value: p.dir, title: p.dir }, p.name)),
  );
  return h(
    "div",
    { class: "switcher" },
    select,
    h("button", { type: "button", class: "secondary", disabled: app.busy, onclick: () => void app.home.chooseFolder() }, "Open folder…"),
    h(
      "button",
      { type: "button", id: "open-remote", class: "secondary", disabled: app.busy, onclick: () => remoteFolderDialog(app) },
      "Open remote folder…",
    ),
    h(
      "button",
      {
        type: "button",
        id: "open-link-button",
        class: "secondary",
        disabled: app.busy,
        onclick: () => {
          app.home.links.show();
          requestAnimationFrame(() => document.getElementById("link-text")?.focus());
        },
      },
      "Open link…",
    ),
    h("button", { type: "button", class: "secondary", disabled: app.busy, onclick: () => newProjectDialog(app) }, "New project…"),
  );
}

/** "Choose…": the folder picker fills in where the new project goes. */
function chooseButton(app: App, place: HTMLInputElement): HTMLButtonElement {
  const choose = async () => {
    const picked = await app.home.pickPlace();
    if (picked) place.value = picked;
  };
  return h("button", { type: "button", class: "secondary", onclick: choose }, "Choose…");
}

/** Asks for a name, a place and a template; creates the project and makes it current. */
export function newProjectDialog(app: App): HTMLDialogElement {
  const data = app.home.data;
  const parentDefault = data ? parentOf(data.default_dir) : "";
  const name = h("input", { id: "new-name", type: "text", required: true, value: "My notebooks", autocomplete: "off" });
  const place = h("input", { id: "new-place", type: "text", required: true, value: parentDefault });
  const error = h("div", { "aria-live": "assertive" });
  const dialog = h(
    "dialog",
    { class: "dialog", "aria-labelledby": "new-title" },
    h(
      "form",
      {
        method: "dialog",
        onsubmit: async (e: Event) => {
          e.preventDefault();
          const form = e.target as HTMLFormElement;
          const template = (new FormData(form).get("template") as Template) ?? "default";
          const dir = joinPath(place.value.trim(), name.value.trim());
          const err = await app.home.newProject(dir, template);
          if (err) {
            error.replaceChildren(errorPanel(err, "The project could not be created"));
          } else {
            dialog.close();
          }
        },
      },
      h("h2", { id: "new-title" }, "New project"),
      h("label", { for: "new-name" }, "Name"),
      name,
      h("label", { for: "new-place" }, "Create it in"),
      h("div", { class: "row" }, place, chooseButton(app, place)),
      h("fieldset", {}, h("legend", {}, "Template"), templateRadios()),
      error,
      h(
        "div",
        { class: "row end" },
        h("button", { type: "button", class: "secondary", onclick: () => dialog.close() }, "Cancel"),
        h("button", { type: "submit", class: "primary" }, "Create project"),
      ),
    ),
  );
  dialog.addEventListener("close", () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal?.();
  name.focus();
  name.select();
  return dialog;
}

const TEMPLATES: [Template, string, string][] = [
  ["default", "Data science", "JupyterLab, numpy, pandas, requests"],
  ["minimal", "Minimal", "JupyterLab only"],
  ["ai", "AI assistant", "the data-science set plus Jupyter AI (chat and %%ai in notebooks)"],
  ["gpu", "Deep learning", "the data-science set plus PyTorch built for this computer's GPU (or CPU)"],
];

function templateRadios(): HTMLElement[] {
  return TEMPLATES.map(([value, label, about], i) =>
    h(
      "label",
      { class: "radio" },
      h("input", { type: "radio", name: "template", value, checked: i === 0 }),
      h("span", {}, h("strong", {}, label), h("span", { class: "muted" }, ` — ${about}`)),
    ),
  );
}

function parentOf(path: string): string {
  const i = Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\"));
  return i > 0 ? path.slice(0, i) : path;
}

export function joinPath(parent: string, name: string): string {
  const sep = parent.includes("\\") && !parent.includes("/") ? "\\" : "/";
  return parent.endsWith(sep) ? parent + name : parent + sep + name;
}
