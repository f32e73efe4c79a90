// Settings: saved under the config folder, shared with the CLI; the next start uses them.

import type { App } from "../app";
import { api, asIpcError, type IpcError, type Settings } from "../api";
import { errorPanel } from "../errors";
import { h } from "../dom";

let loaded: Settings | null = null;
let atLogin: boolean | null = null;
let result: { error?: IpcError; saved?: boolean } = {};

async function load(app: App): Promise<void> {
  try {
    loaded = await api.getSettings();
  } catch (err) {
    result = { error: asIpcError(err) };
  }
  try {
    atLogin = await api.openAtLogin.get();
  } catch {
    atLogin = false;
  }
  app.render();
}

/** The form's values as Settings (`base` keeps what the form does not show). */
export function fromForm(form: HTMLFormElement, base: Settings): Settings {
  const data = new FormData(form);
  const text = (name: string) => String(data.get(name) ?? "").trim();
  return {
    ...base,
    installer: text("installer") === "pip" ? "pip" : "uv",
    python: text("python") || null,
    index_url: text("index_url") || null,
    native_tls: data.get("native_tls") === "on",
    extra_args: text("extra_args").split("\n").map((l) => l.trim()).filter(Boolean),
    on_quit: text("on_quit") === "keepRunning" ? "keepRunning" : "stopServers",
    instant_start: data.get("instant_start") === "on",
  };
}

export function settingsView(app: App): HTMLElement {
  if (!loaded && !result.error) {
    void load(app);
    return h("section", { class: "settings" }, h("h1", {}, "Settings"), h("p", { class: "muted" }, "Loading…"));
  }
  if (!loaded) return h("section", { class: "settings" }, h("h1", {}, "Settings"), errorPanel(result.error!));
  const s = loaded;
  const field = (id: string, label: string, input: HTMLElement, help?: string) =>
    h("div", { class: "field" }, h("label", { for: id }, label), input, help ? h("p", { class: "help", id: `${id}-help` }, help) : null);

  const form = h(
    "form",
    {
      class: "settings-form",
      onsubmit: async (e: Event) => {
        e.preventDefault();
        try {
          loaded = await api.saveSettings(fromForm(e.target as HTMLFormElement, s));
          result = { saved: true };
          app.warmUp();
        } catch (err) {
          result = { error: asIpcError(err) };
        }
        app.render();
      },
    },
    h(
      "fieldset",
      {},
      h("legend", {}, "Installing packages"),
      field(
        "installer",
        "Installer",
        h(
          "select",
          { id: "installer", name: "installer", "aria-describedby": "installer-help" },
          h("option", { value: "uv", selected: s.installer === "uv" }, "uv (fast, recommended)"),
          h("option", { value: "pip", selected: s.installer === "pip" }, "pip (classic)"),
        ),
        "uv is fetched from PyPI the first time it is needed.",
      ),
      field("python", "Python interpreter", h("input", { id: "python", name: "python", type: "text", value: s.python ?? "", placeholder: "Automatic (best one found)", "aria-describedby": "python-help" }), "A path to python; leave empty to let Darwinix choose (see This computer)."),
      field("index_url", "Package index URL", h("input", { id: "index_url", name: "index_url", type: "url", value: s.index_url ?? "", placeholder: "https://pypi.org/simple" })),
      h("label", { class: "check" }, h("input", { type: "checkbox", name: "native_tls", checked: s.native_tls }), " Trust this computer's certificates (for company proxies)"),
    ),
    h(
      "fieldset",
      {},
      h("legend", {}, "JupyterLab"),
      field(
        "extra_args",
        "Extra server arguments",
        h("textarea", { id: "extra_args", name: "extra_args", rows: 3, spellcheck: "false", "aria-describedby": "extra_args-help" }, s.extra_args.join("\n")),
        "One --Name=value option per line. Address, token and security options are Darwinix's own and are refused.",
      ),
    ),
    h(
      "fieldset",
      {},
      h("legend", {}, "The app"),
      field(
        "on_quit",
        "When you quit Darwinix",
        h(
          "select",
          { id: "on_quit", name: "on_quit" },
          h("option", { value: "stopServers", selected: s.on_quit === "stopServers" }, "Stop running notebooks"),
          h("option", { value: "keepRunning", selected: s.on_quit === "keepRunning" }, "Leave them running"),
        ),
      ),
      h(
        "label",
        { class: "check" },
        h("input", { type: "checkbox", id: "instant_start", name: "instant_start", checked: s.instant_start, "aria-describedby": "instant_start-help" }),
        " Instant start",
      ),
      h(
        "p",
        { class: "help", id: "instant_start-help" },
        "While Darwinix is open, keep the current project's JupyterLab started in the background (about 100 MB of memory), so Start Notebook opens it at once. It stays private to you and stops when you quit.",
      ),
      h(
        "label",
        { class: "check" },
        h("input", {
          type: "checkbox",
          id: "open_at_login",
          checked: atLogin === true,
          disabled: atLogin === null,
          onchange: async (e: Event) => {
            const box = e.target as HTMLInputElement;
            try {
              await api.openAtLogin.set(box.checked);
              atLogin = box.checked;
            } catch (err) {
              box.checked = !box.checked;
              result = { error: asIpcError(err) };
              app.render();
            }
          },
        }),
        " Open Darwinix when I log in",
      ),
    ),
    h("div", { class: "row" }, h("button", { type: "submit", class: "primary" }, "Save settings"), result.saved ? h("span", { class: "muted", role: "status" }, "Saved. The next start uses them.") : null),
    result.error ? errorPanel(result.error, "Settings were not saved") : null,
  );
  return h("section", { class: "settings" }, h("h1", {}, "Settings"), form);
}

/** For tests: forget what was loaded. */
export function resetSettingsView(): void {
  loaded = null;
  atLogin = null;
  result = {};
}
