// Settings: saved under the config folder, shared with the CLI; the next start uses them.

import type { App } from "../app";
import type { Settings } from "../api";
import { errorPanel } from "../errors";
import { h } from "../dom";
import { storageSection } from "./storage";
import { trustedSection } from "./trusted";
import { updatesGroup } from "./updates";

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
    update_checks: data.get("update_checks") === "on",
  };
}

export function settingsView(app: App): HTMLElement {
  const pane = app.settings;
  if (pane.unread) return h("section", { class: "settings" }, h("h1", {}, "Settings"), h("p", { class: "muted" }, "Loading…"));
  if (!pane.loaded) return h("section", { class: "settings" }, h("h1", {}, "Settings"), errorPanel(pane.error!));
  const s = pane.loaded;
  const form = h(
    "form",
    {
      class: "settings-form",
      onsubmit: (e: Event) => {
        e.preventDefault();
        void pane.save(fromForm(e.target as HTMLFormElement, s));
      },
    },
    installing(s),
    jupyterLab(s),
    theApp(app, s),
    updatesGroup(app, s),
    h("div", { class: "row" }, h("button", { type: "submit", class: "primary" }, "Save settings"), pane.saved ? h("span", { class: "muted", role: "status" }, "Saved. The next start uses them.") : null),
    pane.error ? errorPanel(pane.error, "Settings were not saved") : null,
  );
  return h("section", { class: "settings" }, h("h1", {}, "Settings"), form, trustedSection(app), storageSection(app));
}

/** A titled group of settings. */
function group(legend: string, ...children: (HTMLElement | null)[]): HTMLElement {
  return h("fieldset", {}, h("legend", {}, legend), ...children);
}

function field(id: string, label: string, input: HTMLElement, help?: string): HTMLElement {
  return h("div", { class: "field" }, h("label", { for: id }, label), input, help ? h("p", { class: "help", id: `${id}-help` }, help) : null);
}

function installing(s: Settings): HTMLElement {
  return group(
    "Installing packages",
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
  );
}

function jupyterLab(s: Settings): HTMLElement {
  return group(
    "JupyterLab",
    field(
      "extra_args",
      "Extra server arguments",
      h("textarea", { id: "extra_args", name: "extra_args", rows: 3, spellcheck: "false", "aria-describedby": "extra_args-help" }, s.extra_args.join("\n")),
      "One --Name=value option per line. Address, token and security options are Darwinix's own and are refused.",
    ),
  );
}

function theApp(app: App, s: Settings): HTMLElement {
  const pane = app.settings;
  return group(
    "The app",
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
        checked: pane.atLogin === true,
        disabled: pane.atLogin === null,
        onchange: (e: Event) => void pane.setOpenAtLogin((e.target as HTMLInputElement).checked),
      }),
      " Open Darwinix when I log in",
    ),
  );
}
