// Settings → Trusted folders: each folder the user answered the trust prompt for, with Forget.

import type { App } from "../app";
import type { Decision } from "../api";
import { errorPanel } from "../errors";
import { h } from "../dom";

export function trustedSection(app: App): HTMLElement {
  const t = app.settings.trusted;
  return h(
    "section",
    { class: "trusted", id: "trusted-folders", "aria-labelledby": "trusted-title" },
    h("h2", { id: "trusted-title" }, "Trusted folders"),
    h(
      "p",
      { class: "help" },
      "Darwinix asks before installing a folder that belongs to another account, that others may change, that came from the internet, or whose setup installs from beyond the package index. Your answers:",
    ),
    t.error ? errorPanel(t.error, "The trusted folders could not be read") : null,
    t.list === null ? null : t.list.length === 0 ? h("p", { class: "muted" }, "None yet.") : h("ul", { class: "trusted-list" }, t.list.map((d) => row(app, d))),
  );
}

function row(app: App, d: Decision): HTMLElement {
  const said = d.choice === "trusted" ? "Trusted" : "Started without installing";
  return h(
    "li",
    {},
    h("span", { class: "path" }, d.dir),
    " ",
    h("span", { class: "badge" }, said),
    " ",
    h("button", { type: "button", class: "secondary", onclick: () => void app.settings.trusted.forget(d.dir) }, "Forget"),
  );
}
