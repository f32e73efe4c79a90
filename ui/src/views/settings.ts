// Settings: saved under the config folder, shared with the CLI; the next start uses them.

import type { App } from "../app";
import type { LanguageChoices, Settings } from "../api";
import { errorPanel } from "../errors";
import { h } from "../dom";
import { storageSection } from "./storage";
import { trustedSection } from "./trusted";
import { updatesGroup } from "./updates";
import { t } from "../i18n";

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
    language: text("language") || "auto",
  };
}

export function settingsView(app: App): HTMLElement {
  const pane = app.settings;
  const title = h("h1", {}, t("settings.title"));
  if (pane.unread) return h("section", { class: "settings" }, title, h("p", { class: "muted" }, t("settings.loading")));
  if (!pane.loaded) return h("section", { class: "settings" }, title, errorPanel(pane.error!));
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
    jupyterLab(s, pane.languages),
    theApp(app, s),
    updatesGroup(app, s),
    h("div", { class: "row" }, h("button", { type: "submit", class: "primary" }, t("settings.save")), pane.saved ? h("span", { class: "muted", role: "status" }, t("settings.saved")) : null),
    pane.error ? errorPanel(pane.error, t("settings.notSaved")) : null,
  );
  return h("section", { class: "settings" }, title, form, trustedSection(app), storageSection(app));
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
    t("settings.installing"),
    field(
      "installer",
      t("settings.installer"),
      h(
        "select",
        { id: "installer", name: "installer", "aria-describedby": "installer-help" },
        h("option", { value: "uv", selected: s.installer === "uv" }, t("settings.uv")),
        h("option", { value: "pip", selected: s.installer === "pip" }, t("settings.pip")),
      ),
      t("settings.installerHelp"),
    ),
    field("python", t("settings.python"), h("input", { id: "python", name: "python", type: "text", value: s.python ?? "", placeholder: t("settings.pythonPlaceholder"), "aria-describedby": "python-help" }), t("settings.pythonHelp")),
    field("index_url", t("settings.indexUrl"), h("input", { id: "index_url", name: "index_url", type: "url", value: s.index_url ?? "", placeholder: "https://pypi.org/simple" })),
    h("label", { class: "check" }, h("input", { type: "checkbox", name: "native_tls", checked: s.native_tls }), t("settings.nativeTls")),
  );
}

function jupyterLab(s: Settings, languages: LanguageChoices | null): HTMLElement {
  return group(
    t("settings.jupyterLab"),
    field("language", t("settings.language"), languageSelect(s, languages), t("settings.languageHelp")),
    field(
      "extra_args",
      t("settings.extraArgs"),
      h("textarea", { id: "extra_args", name: "extra_args", rows: 3, spellcheck: "false", "aria-describedby": "extra_args-help" }, s.extra_args.join("\n")),
      t("settings.extraArgsHelp"),
    ),
  );
}

/** Same as this computer (Français), English, then each language by its own name. Without the
 * engine's list (it could not say), the saved choice stays selectable as it is. */
function languageSelect(s: Settings, languages: LanguageChoices | null): HTMLElement {
  const chosen = s.language ?? "auto";
  const options = languages?.options ?? [{ code: "en", name: "English" }];
  const listed = options.some((o) => o.code === chosen) || chosen === "auto";
  const here = languages?.detected.name ?? "";
  return h(
    "select",
    { id: "language", name: "language", "aria-describedby": "language-help" },
    h("option", { value: "auto", selected: chosen === "auto" }, here ? t("settings.languageAuto", { name: here }) : "auto"),
    options.map((o) => h("option", { value: o.code, lang: o.code, selected: o.code === chosen }, o.name)),
    listed ? null : h("option", { value: chosen, selected: true }, chosen),
  );
}

function theApp(app: App, s: Settings): HTMLElement {
  const pane = app.settings;
  return group(
    t("settings.theApp"),
    field(
      "on_quit",
      t("settings.onQuit"),
      h(
        "select",
        { id: "on_quit", name: "on_quit" },
        h("option", { value: "stopServers", selected: s.on_quit === "stopServers" }, t("settings.stopServers")),
        h("option", { value: "keepRunning", selected: s.on_quit === "keepRunning" }, t("settings.keepRunning")),
      ),
    ),
    h(
      "label",
      { class: "check" },
      h("input", { type: "checkbox", id: "instant_start", name: "instant_start", checked: s.instant_start, "aria-describedby": "instant_start-help" }),
      t("settings.instantStart"),
    ),
    h(
      "p",
      { class: "help", id: "instant_start-help" },
      t("settings.instantStartHelp"),
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
      t("settings.openAtLogin"),
    ),
  );
}
