// Home's "Project settings": where the current project runs, "Make this project GPU-ready", the
// setup file and Python it is made with, and how it runs. Darwinix remembers them; the project's
// files stay as they are.

import type { App } from "../app";
import type { BackendChoice, ProjectSettings } from "../api";
import { errorPanel } from "../errors";
import { h } from "../dom";

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
        if (picked) void app.home.settings.setBackend(picked.choice);
      },
    },
    options.map((o) => h("option", { value: o.value, disabled: o.disabled }, o.label)),
  );
  select.value = options.find((o) => sameChoice(o.choice, s.backend))?.value ?? "";
  return select;
}

/** The project's own settings: where it runs, and "Make this project GPU-ready". */
export function projectSettingsView(app: App): HTMLElement {
  const part = app.home.settings;
  const s = part.value;
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
          { type: "button", id: "gpu-ready", class: "secondary", disabled: app.busy, onclick: () => void part.makeGpuReady() },
          "Make this project GPU-ready",
        ),
        h("p", { class: "muted" }, "Adds PyTorch built for this computer's GPU (CPU wheels when there is none)."),
        pinsSwitch(app, s),
        setupChoices(app, s),
        s.jupyter.lists_jupyterlab ? sharedLabSwitch(app, s) : null,
        jupyterFacts(s),
      )
    : part.error
      ? null
      : h("p", { class: "muted" }, "Loading…");
  const details = h(
    "details",
    { class: "project-settings", open: part.open },
    h("summary", {}, "Project settings"),
    body,
    part.error ? errorPanel(part.error, s ? "The project settings were not changed" : "The project settings could not be read") : null,
  );
  details.addEventListener("toggle", () => part.keepOpen((details as HTMLDetailsElement).open));
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
      onchange: (e: Event) => void app.home.settings.setIgnorePins((e.target as HTMLInputElement).checked),
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
      onchange: (e: Event) => void app.home.settings.setSharedJupyterlab((e.target as HTMLInputElement).checked),
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
      onchange: (e: Event) => void app.home.settings.setSourceFile((e.target as HTMLSelectElement).value || null),
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
      onchange: (e: Event) => void app.home.settings.setPythonVersion((e.target as HTMLSelectElement).value || null),
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
