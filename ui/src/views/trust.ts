// The trust prompt: before Darwinix installs a folder it has no reason to trust (another
// account's, one others may change, one from the internet, or one whose setup reaches beyond
// the package index), it shows why and what would be installed from where.

import type { App } from "../app";
import type { IpcError, TrustAsk } from "../api";
import { h } from "../dom";

/** The question a start stopped for, when it stopped for one. */
export function trustAsked(err: IpcError | null | undefined): TrustAsk | null {
  const action = err?.action;
  if (action !== null && typeof action === "object" && action !== undefined && "trustFolder" in action) {
    return action.trustFolder.ask;
  }
  return null;
}

export function trustPanel(app: App, dir: string, ask: TrustAsk): HTMLElement {
  const from = ask.from_file ? `From ${ask.from_file}, it would install:` : "For the notebooks' imports, it would install:";
  return h(
    "section",
    { class: "trust", id: "trust-prompt", role: "alertdialog", "aria-labelledby": "trust-title", "aria-describedby": "trust-why" },
    h("h2", { id: "trust-title" }, "Trust this folder?"),
    h("p", { id: "trust-why" }, "Darwinix asks before installing the packages of ", h("strong", {}, dir), ", because:"),
    h("ul", { class: "trust-reasons" }, ask.reasons.map((r) => h("li", {}, r))),
    h("p", {}, from),
    ask.installs.length
      ? h(
          "table",
          { class: "trust-installs" },
          h("thead", {}, h("tr", {}, h("th", {}, "Package"), h("th", {}, "From"))),
          h(
            "tbody",
            {},
            ask.installs.map((i) =>
              h(
                "tr",
                { class: i.beyond_index ? "beyond" : "" },
                h("td", {}, h("code", {}, i.what)),
                h("td", {}, i.beyond_index ? h("span", { class: "badge warn" }, i.from) : i.from),
              ),
            ),
          ),
        )
      : h("p", { class: "muted" }, "Nothing: Python and the kernel alone."),
    h("p", { class: "muted" }, "Installing runs code from these places. Trust only folders whose source you know."),
    h(
      "div",
      { class: "row" },
      h("button", { type: "button", id: "trust-start", class: "primary", onclick: () => void app.home.answerTrust("trusted") }, "Trust and start"),
      h(
        "button",
        { type: "button", id: "trust-without", class: "secondary", onclick: () => void app.home.answerTrust("withoutInstalling") },
        "Start without installing",
      ),
      h("button", { type: "button", id: "trust-cancel", class: "secondary", onclick: () => app.home.cancelTrust() }, "Cancel"),
    ),
  );
}
