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
import { t, type Key } from "../i18n";

export function homeView(app: App): HTMLElement {
  const home = app.home;
  if (home.error && !home.data) return h("section", { class: "home" }, errorPanel(home.error, t("home.couldNotOpen")));
  if (!home.data || !home.offers) return h("section", { class: "home" }, h("p", { class: "muted" }, t("home.loading")));
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
      : h("p", { class: "muted" }, t("home.notebooksInLab")),
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
          ? h("p", { class: "muted", id: "project-host" }, t("home.onHost", { host: offers.host }))
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
    busy ? t("home.starting") : server ? t("home.open") : t("home.start"),
  );
  const status = server
    ? h(
        "p",
        { class: "running-line", id: "running-line" },
        h("span", { class: "dot", "aria-hidden": "true" }),
        t("home.runningAt", { url: server.url }),
      )
    : null;
  return h("div", { class: "start-area" }, start, status);
}

/** Share…, and where a course came from with its teacher's version's buttons. */
function projectTools(app: App, project: ProjectView): HTMLElement {
  const share = h(
    "button",
    { type: "button", id: "share", class: "secondary", disabled: app.busy, onclick: () => shareDialog(app, project.dir) },
    t("home.share"),
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
    h("h2", { id: "found-title" }, t("home.foundTitle")),
    h(
      "p",
      { id: "found-help", class: "muted" },
      t("home.foundHelp"),
    ),
    h("label", { for: "found-packages", class: "sr-only" }, t("home.foundLabel")),
    text,
    found.warnings.map((w) => h("p", { class: "warning" }, "⚠ ", w)),
    h(
      "div",
      { class: "row" },
      h("button", { type: "button", id: "install-found", class: "primary", onclick: () => void starts.installFound() }, t("home.installAndStart")),
      h("button", { type: "button", class: "secondary", onclick: () => starts.cancelFound() }, t("home.cancel")),
    ),
  );
}

/** The button of one of a failed install's ways out. */
function wayOutLabel(way: WayOut): string {
  switch (way.kind) {
    case "useVersion":
      return t("home.useVersion", { package: way.package, version: way.version });
    case "usePython":
      return t("home.usePython", { version: way.version });
    case "startWithout":
      return t("home.startWithout", { package: way.package });
    case "startWithCurrentVersions":
      return t("home.startWithCurrentVersions");
  }
}

/** Why a start stopped: the trust prompt when it asks first, else the error and its fixes. */
function startProblem(app: App, dir: string, err: IpcError): HTMLElement {
  const ask = trustAsked(err);
  if (ask) return trustPanel(app, dir, ask);
  return errorPanel(err, t("home.couldNotStart"), errorFixes(app, err));
}

/** One-click fixes the engine offers for an error. */
function errorFixes(app: App, err: IpcError): HTMLElement[] {
  if (err.action === "startWithCurrentVersions") {
    return [
      h(
        "button",
        { type: "button", id: "current-versions", class: "primary", onclick: () => void app.home.startWithCurrentVersions() },
        t("home.startWithCurrentVersions"),
      ),
    ];
  }
  if (err.action === "useSharedJupyterLab") {
    return [
      h(
        "button",
        { type: "button", id: "shared-jupyterlab", class: "primary", onclick: () => void app.home.startWithSharedJupyterlab() },
        t("home.useSharedJupyterLab"),
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
        t("home.installBig", { size }),
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
      "aria-label": t("home.recentProjects"),
      disabled: app.busy || others.length === 0,
      onchange: (e: Event) => {
        const dir = (e.target as HTMLSelectElement).value;
        if (dir) void app.home.openProject(dir);
      },
    },
    h("option", { value: "" }, others.length ? t("home.recentProjectsPick") : t("home.noOtherProjects")),
    others.map((p) => h("option", { value: p.dir, title: p.dir }, p.name)),
  );
  return h(
    "div",
    { class: "switcher" },
    select,
    h("button", { type: "button", class: "secondary", disabled: app.busy, onclick: () => void app.home.chooseFolder() }, t("home.openFolder")),
    h(
      "button",
      { type: "button", id: "open-remote", class: "secondary", disabled: app.busy, onclick: () => remoteFolderDialog(app) },
      t("home.openRemote"),
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
      t("home.openLink"),
    ),
    h("button", { type: "button", class: "secondary", disabled: app.busy, onclick: () => newProjectDialog(app) }, t("home.newProject")),
  );
}

/** "Choose…": the folder picker fills in where the new project goes. */
function chooseButton(app: App, place: HTMLInputElement): HTMLButtonElement {
  const choose = async () => {
    const picked = await app.home.pickPlace();
    if (picked) place.value = picked;
  };
  return h("button", { type: "button", class: "secondary", onclick: choose }, t("home.choose"));
}

/** Asks for a name, a place and a template; creates the project and makes it current. */
export function newProjectDialog(app: App): HTMLDialogElement {
  const data = app.home.data;
  const parentDefault = data ? parentOf(data.default_dir) : "";
  const name = h("input", { id: "new-name", type: "text", required: true, value: t("home.newNameDefault"), autocomplete: "off" });
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
            error.replaceChildren(errorPanel(err, t("home.notCreated")));
          } else {
            dialog.close();
          }
        },
      },
      h("h2", { id: "new-title" }, t("home.newTitle")),
      h("label", { for: "new-name" }, t("home.newName")),
      name,
      h("label", { for: "new-place" }, t("home.newPlace")),
      h("div", { class: "row" }, place, chooseButton(app, place)),
      h("fieldset", {}, h("legend", {}, t("home.template")), templateRadios()),
      error,
      h(
        "div",
        { class: "row end" },
        h("button", { type: "button", class: "secondary", onclick: () => dialog.close() }, t("home.cancel")),
        h("button", { type: "submit", class: "primary" }, t("home.create")),
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

/** Each template with the keys of its name and what it holds (words looked up when drawn). */
const TEMPLATES: [Template, Key, Key][] = [
  ["default", "home.templateDefault", "home.templateDefaultAbout"],
  ["minimal", "home.templateMinimal", "home.templateMinimalAbout"],
  ["ai", "home.templateAi", "home.templateAiAbout"],
  ["gpu", "home.templateGpu", "home.templateGpuAbout"],
];

function templateRadios(): HTMLElement[] {
  return TEMPLATES.map(([value, label, about], i) =>
    h(
      "label",
      { class: "radio" },
      h("input", { type: "radio", name: "template", value, checked: i === 0 }),
      h("span", {}, h("strong", {}, t(label)), h("span", { class: "muted" }, ` — ${t(about)}`)),
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
