// Home: the project, its switcher, and the one big button.

import type { App } from "../app";
import type { BackendChoice, IpcError, ProjectSettings, Template, WayOut } from "../api";
import { errorPanel } from "../errors";
import { h } from "../dom";
import { browserFailedPanel, notebookList, recentNotebooks } from "./notebooks";
import { progressView } from "./progress";
import { sourceSentence } from "../progress";
import { remoteFolderDialog } from "./remote";

export function homeView(app: App): HTMLElement {
  if (app.homeError && !app.home) return h("section", { class: "home" }, errorPanel(app.homeError, "Darwinix could not open your project"));
  if (!app.home) return h("section", { class: "home" }, h("p", { class: "muted" }, "Loading…"));
  const project = app.home.project;
  const server = app.serverOf(project.dir);
  const busy = app.busy;
  const run = app.run && app.run.dir === project.dir ? app.run : null;

  const start = h(
    "button",
    {
      type: "button",
      id: "start",
      class: "primary big",
      disabled: busy,
      "aria-describedby": "project-dir",
      onclick: () => void app.start(),
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

  return h(
    "section",
    { class: "home" },
    h(
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
          project.host
            ? h("p", { class: "muted", id: "project-host" }, `On ${project.host}: set up and run there, reached from here over SSH.`)
            : null,
        ),
        switcher(app),
      ),
      h("div", { class: "start-area" }, start, status),
      project.host ? null : sourceLine(app),
      app.notice ? h("p", { class: "notice", role: "status" }, app.notice) : null,
      app.homeError ? errorPanel(app.homeError) : null,
      project.host ? null : projectSettingsView(app),
    ),
    run ? progressView(run.progress, run.showLog, (open) => app.showRunLog(open)) : null,
    app.found && app.found.dir === project.dir ? foundPanel(app) : null,
    run?.error ? errorPanel(run.error, "Your notebook could not start", errorFixes(app, run.error)) : null,
    app.browserFailed ? browserFailedPanel(app, app.browserFailed) : null,
    project.host
      ? h("p", { class: "muted" }, "This project's notebooks are listed in JupyterLab.")
      : h("div", { class: "home-lists" }, notebookList(app), recentNotebooks(app)),
  );
}

/** Which setup file the packages come from, and what is not used — before anything runs. */
function sourceLine(app: App): HTMLElement | null {
  const j = app.projectSettings?.jupyter;
  if (!j) return null;
  const used = j.packages_from ? `${j.packages_from}${j.picked_file ? " (your choice)" : ""}` : null;
  return h("p", { class: "muted source", id: "home-source" }, sourceSentence(used, j.not_used));
}

/** What the notebooks of a folder without a list of packages import: installed once the user
 * agrees (and perhaps edits the list). */
function foundPanel(app: App): HTMLElement {
  const found = app.found!;
  const text = h("textarea", {
    id: "found-packages",
    rows: Math.min(12, Math.max(3, found.text.split("\n").length + 1)),
    spellcheck: false,
    "aria-describedby": "found-help",
    oninput: (e: Event) => app.editFound((e.target as HTMLTextAreaElement).value),
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
      h("button", { type: "button", id: "install-found", class: "primary", onclick: () => void app.installFound() }, "Install and start"),
      h("button", { type: "button", class: "secondary", onclick: () => app.cancelFound() }, "Cancel"),
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

/** One-click fixes the engine offers for an error. */
function errorFixes(app: App, err: IpcError): HTMLElement[] {
  if (err.action === "startWithCurrentVersions") {
    return [
      h(
        "button",
        { type: "button", id: "current-versions", class: "primary", onclick: () => void app.startWithCurrentVersions() },
        "Start with current versions",
      ),
    ];
  }
  if (err.action === "useSharedJupyterLab") {
    return [
      h(
        "button",
        { type: "button", id: "shared-jupyterlab", class: "primary", onclick: () => void app.startWithSharedJupyterlab() },
        "Use Darwinix's JupyterLab instead",
      ),
    ];
  }
  const action = err.action;
  if (action !== null && typeof action === "object" && "waysOut" in action) {
    return action.waysOut.ways.map((way, i) =>
      h(
        "button",
        { type: "button", class: i === 0 ? "primary way-out" : "secondary way-out", onclick: () => void app.takeWayOut(way) },
        wayOutLabel(way),
      ),
    );
  }
  if (action !== null && typeof action === "object" && "installBig" in action) {
    const { bytes, size } = action.installBig;
    return [
      h(
        "button",
        { type: "button", id: "install-big", class: "primary", onclick: () => void app.installBig(bytes) },
        `Install (${size})`,
      ),
    ];
  }
  return [];
}

interface BackendOption {
  /** The `<select>`'s key for it: only to find the option again, never parsed. */
  value: string;
  label: string;
  disabled: boolean;
  choice: BackendChoice;
}

function backendOptions(s: ProjectSettings): BackendOption[] {
  const nixNote = s.has_flake ? "" : " (needs a flake.nix in the folder)";
  return [
    {
      value: "auto",
      label: s.has_flake ? "Automatic — the Nix flake when Nix is installed" : "Automatic — this computer",
      disabled: false,
      choice: { kind: "auto" },
    },
    { value: "thisComputer", label: "This computer", disabled: false, choice: { kind: "thisComputer" } },
    { value: "nix", label: `Nix flake (nix develop)${nixNote}`, disabled: !s.has_flake, choice: { kind: "nix" } },
    ...s.distros.map(
      (distro): BackendOption => ({
        value: `wsl:${distro}`,
        label: `WSL distro: ${distro}`,
        disabled: false,
        choice: { kind: "wsl", distro },
      }),
    ),
  ];
}

function sameChoice(a: BackendChoice, b: BackendChoice): boolean {
  return a.kind === b.kind && (a.kind !== "wsl" || (b.kind === "wsl" && a.distro === b.distro));
}

function backendSelect(app: App, s: ProjectSettings): HTMLSelectElement {
  const options = backendOptions(s);
  const select = h(
    "select",
    {
      id: "backend",
      disabled: app.busy,
      onchange: (e: Event) => {
        const picked = options.find((o) => o.value === (e.target as HTMLSelectElement).value);
        if (picked) void app.setBackend(picked.choice);
      },
    },
    options.map((o) => h("option", { value: o.value, disabled: o.disabled }, o.label)),
  );
  select.value = options.find((o) => sameChoice(o.choice, s.backend))?.value ?? "";
  return select;
}

/** The project's own settings: where it runs, and "Make this project GPU-ready". */
function projectSettingsView(app: App): HTMLElement {
  const s = app.projectSettings;
  const body = s
    ? h(
        "div",
        { class: "project-settings-body" },
        h("label", { for: "backend" }, "Run this project on"),
        backendSelect(app, s),
        h(
          "p",
          { class: "muted" },
          "Changing it rebuilds the project's .venv there at the next start; your files stay as they are.",
        ),
        h(
          "button",
          { type: "button", id: "gpu-ready", class: "secondary", disabled: app.busy, onclick: () => void app.makeGpuReady() },
          "Make this project GPU-ready",
        ),
        h("p", { class: "muted" }, "Adds PyTorch built for this computer's GPU (CPU wheels when there is none)."),
        pinsSwitch(app, s),
        setupChoices(app, s),
        s.jupyter.lists_jupyterlab ? sharedLabSwitch(app, s) : null,
        jupyterFacts(s),
      )
    : app.projectSettingsError
      ? null
      : h("p", { class: "muted" }, "Loading…");
  const details = h(
    "details",
    { class: "project-settings", open: app.projectSettingsOpen },
    h("summary", {}, "Project settings"),
    body,
    app.projectSettingsError
      ? errorPanel(app.projectSettingsError, s ? "The project settings were not changed" : "The project settings could not be read")
      : null,
  );
  details.addEventListener("toggle", () => app.setProjectSettingsOpen((details as HTMLDetailsElement).open));
  return details;
}

function pinsSwitch(app: App, s: ProjectSettings): HTMLElement {
  return h(
    "label",
    { class: "check" },
    h("input", {
      type: "checkbox",
      id: "ignore-pins",
      checked: s.jupyter.ignore_pins,
      disabled: app.busy,
      onchange: (e: Event) => void app.setIgnorePins((e.target as HTMLInputElement).checked),
    }),
    " Start with current versions (leave out version pins that no longer install; the project's files stay unchanged)",
  );
}

/** A project that lists its own JupyterLab may run in Darwinix's instead (and back). */
function sharedLabSwitch(app: App, s: ProjectSettings): HTMLElement {
  return h(
    "label",
    { class: "check" },
    h("input", {
      type: "checkbox",
      id: "shared-jupyterlab-setting",
      checked: s.jupyter.shared_jupyterlab,
      disabled: app.busy,
      onchange: (e: Event) => void app.setSharedJupyterlab((e.target as HTMLInputElement).checked),
    }),
    " Use Darwinix's JupyterLab instead of the one the project lists (the project's files stay unchanged)",
  );
}

/** Python versions a project may ask for (uv provides them when this computer lacks one). */
const PYTHONS = ["3.14", "3.13", "3.12", "3.11", "3.10", "3.9", "3.8"];

/** Packages from (Darwinix's choice, as Binder's, or one of the project's setup files) and the
 * Python the project's environment is made with. Remembered by Darwinix, never in the files. */
function setupChoices(app: App, s: ProjectSettings): HTMLElement {
  const j = s.jupyter;
  const picked = j.picked_file ?? "";
  const source = h(
    "select",
    {
      id: "source-file",
      disabled: app.busy || j.setup_files.length === 0,
      onchange: (e: Event) => void app.setSourceFile((e.target as HTMLSelectElement).value || null),
    },
    h("option", { value: "" }, "Darwinix's choice (as Binder chooses)"),
    j.setup_files.map((f) => h("option", { value: f }, f)),
  );
  source.value = picked;
  const chosen = j.python_wanted?.endsWith("(your choice)") ? j.python_wanted.split(" ")[0] : "";
  const python = h(
    "select",
    {
      id: "python-version",
      disabled: app.busy,
      onchange: (e: Event) => void app.setPythonVersion((e.target as HTMLSelectElement).value || null),
    },
    h("option", { value: "" }, "As the project's files ask"),
    PYTHONS.map((v) => h("option", { value: v }, `Python ${v}`)),
  );
  python.value = chosen;
  return h(
    "div",
    { class: "setup-choices" },
    h("label", {}, "Packages from ", source),
    h("label", {}, "Python ", python),
  );
}

/** Where the packages come from, which JupyterLab, which Python the notebooks run in. */
function jupyterFacts(s: ProjectSettings): HTMLElement {
  const j = s.jupyter;
  const row = (label: string, value: string, id: string) => [h("dt", {}, label), h("dd", { id }, value)];
  return h(
    "dl",
    { class: "facts", "aria-label": "How this project runs" },
    row(
      "Packages from",
      `${j.packages_from ?? "what the notebooks import (asked at the first start)"}${j.picked_file ? " (your choice)" : ""}`,
      "fact-packages",
    ),
    j.not_used.length
      ? row("Not used", j.not_used.map((i) => `${i.file}: ${i.why}`).join(" · "), "fact-not-used")
      : [],
    j.python_wanted ? row("Python asked for", j.python_wanted, "fact-python") : [],
    row("JupyterLab", j.jupyterlab, "fact-jupyterlab"),
    row(
      "Notebooks run in",
      `${j.kernel_python}${j.kernel_shared ? " (the kernel is shared by your projects)" : ""}`,
      "fact-kernel",
    ),
    j.gpu.flatMap((g) => row("GPU", g.fix ? `${g.summary}. To fix: ${g.fix}.` : g.summary, `fact-gpu-${g.framework.toLowerCase()}`)),
  );
}

function switcher(app: App): HTMLElement {
  const home = app.home!;
  const others = home.recent.filter((p) => p.dir !== home.project.dir);
  const select = h(
    "select",
    {
      id: "recent",
      "aria-label": "Recent projects",
      disabled: app.busy || others.length === 0,
      onchange: (e: Event) => {
        const dir = (e.target as HTMLSelectElement).value;
        if (dir) void app.openProject(dir);
      },
    },
    h("option", { value: "" }, others.length ? "Recent projects…" : "No other projects yet"),
    others.map((p) => h("option", { value: p.dir, title: p.dir }, p.name)),
  );
  return h(
    "div",
    { class: "switcher" },
    select,
    h("button", { type: "button", class: "secondary", disabled: app.busy, onclick: () => void app.chooseFolder() }, "Open folder…"),
    h(
      "button",
      { type: "button", id: "open-remote", class: "secondary", disabled: app.busy, onclick: () => remoteFolderDialog(app) },
      "Open remote folder…",
    ),
    h("button", { type: "button", class: "secondary", disabled: app.busy, onclick: () => newProjectDialog(app) }, "New project…"),
  );
}

/** Asks for a name, a place and a template; creates the project and makes it current. */
/** "Choose…": the folder picker fills in where the new project goes. */
function chooseButton(app: App, place: HTMLInputElement): HTMLButtonElement {
  const choose = async () => {
    const picked = await app.pickPlace();
    if (picked) place.value = picked;
  };
  return h("button", { type: "button", class: "secondary", onclick: choose }, "Choose…");
}

export function newProjectDialog(app: App): HTMLDialogElement {
  const parentDefault = app.home ? parentOf(app.home.default_dir) : "";
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
          const err = await app.newProject(dir, template);
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
