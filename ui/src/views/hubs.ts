// JupyterHub on Running servers: each hub the user added, with its servers (Start, Open, Stop),
// a hub that cannot be reached said as such, and Add a JupyterHub….

import type { App } from "../app";
import type { HubServer, HubStatus } from "../api";
import { errorPanel, said } from "../errors";
import { h } from "../dom";
import { isPlainRemote } from "../hubs";

const HUB_STATE: Record<HubStatus["state"], [string, string]> = {
  online: ["Online", "ok"],
  unreachable: ["Not reachable", "warn"],
  tokenRefused: ["Token refused", "warn"],
  failed: ["Problem", "warn"],
};

const SERVER_STATE: Record<HubServer["state"], [string, string]> = {
  ready: ["Running", "ok"],
  starting: ["Starting…", "warn"],
  stopping: ["Stopping…", "warn"],
  stopped: ["Stopped", "muted"],
};

export function hubsSection(app: App): HTMLElement {
  const hubs = app.hubs;
  return h(
    "section",
    { class: "hubs", "aria-labelledby": "hubs-title" },
    h(
      "div",
      { class: "card-head" },
      h("h2", { id: "hubs-title" }, "JupyterHub"),
      h("button", { type: "button", id: "hub-add", class: "secondary", onclick: () => addHubDialog(app) }, "Add a JupyterHub…"),
    ),
    hubs.list.length === 0
      ? h("p", { class: "muted" }, "Servers on your university's or company's JupyterHub show here once you add it.")
      : h("ul", { class: "cards", "aria-label": "JupyterHubs" }, hubs.list.map((hub) => hubCard(app, hub))),
    h("div", { "aria-live": "polite" }, said(hubs.said)),
  );
}

function hubCard(app: App, hub: HubStatus): HTMLElement {
  const [label, tone] = HUB_STATE[hub.state];
  return h(
    "li",
    { class: "card hub-card", "data-url": hub.url },
    h("div", { class: "card-head" }, h("h2", {}, hub.url), h("span", { class: `badge ${tone}` }, label)),
    h("p", { class: "muted" }, `Signed in as ${hub.user}; the token is kept in ${hub.keptIn}.`),
    hub.problem ? errorPanel({ message: hub.problem, hint: hub.hint, details: hub.problem, action: null }) : null,
    hub.servers.length ? h("ul", { class: "hub-servers" }, hub.servers.map((s) => serverRow(app, hub, s))) : null,
    h(
      "div",
      { class: "row" },
      hub.state === "online" && !hub.servers.some((s) => s.name === "")
        ? h("button", { type: "button", class: "secondary", "data-action": "start-default", onclick: () => void app.hubs.start(hub.url, "") }, "Start default server")
        : null,
      h("button", { type: "button", class: "danger", "data-action": "remove", onclick: () => void app.hubs.remove(hub.url) }, "Remove hub"),
    ),
  );
}

function serverRow(app: App, hub: HubStatus, s: HubServer): HTMLElement {
  const row = app.hubs.row(hub.url, s.name);
  const [label, tone] = SERVER_STATE[s.state];
  const name = s.name || "Default server";
  const button = (text: string, action: string, fn: () => void) =>
    h(
      "button",
      {
        type: "button",
        class: action === "stop" ? "danger" : "secondary",
        "data-action": action,
        "aria-label": `${text}: ${name}`,
        disabled: row.acting !== null,
        onclick: fn,
      },
      row.acting === action ? `${text}…` : text,
    );
  const running = s.state === "ready" || s.state === "starting";
  return h(
    "li",
    { class: "hub-server", "data-server": s.name },
    h("div", { class: "card-head" }, h("strong", {}, name), h("span", { class: `badge ${tone}` }, label)),
    h(
      "div",
      { class: "row" },
      s.state === "ready" ? button("Open in browser", "open", () => void app.hubs.open(hub.url, s.name)) : null,
      running ? null : button("Start", "start", () => void app.hubs.start(hub.url, s.name)),
      running ? button("Stop", "stop", () => void app.hubs.stop(hub.url, s.name)) : null,
    ),
    row.step ? h("p", { class: "muted", "aria-live": "polite" }, row.step) : null,
    said(row.said),
  );
}

/**
 * Why a plain http:// address is dangerous, and the box that confirms it anyway: shown while
 * the address is one; without the tick the engine refuses it before sending anything.
 */
function plainHttpConfirm(url: HTMLInputElement) {
  const box = h("input", { type: "checkbox", id: "hub-insecure" });
  const panel = h(
    "div",
    { class: "warning", id: "hub-insecure-why", "aria-live": "polite", hidden: true },
    h(
      "p",
      {},
      "This address is plain http://: your token, and everything the hub sends back, would cross the network unencrypted, readable by anyone on the way — who could then use your servers. Use the hub's https:// address if it has one.",
    ),
    h("label", { class: "check", for: "hub-insecure" }, box, " Connect without encryption"),
  );
  const show = (on: boolean) => {
    panel.hidden = !on;
    if (!on) box.checked = false;
  };
  url.addEventListener("input", () => show(isPlainRemote(url.value)));
  return { panel, show, confirmed: () => !panel.hidden && box.checked };
}

/** Asks for the hub's address and an API token (made on the hub's Token page). */
export function addHubDialog(app: App): HTMLDialogElement {
  const url = h("input", { id: "hub-url", type: "url", required: true, autocomplete: "off", placeholder: "https://hub.example.org" });
  const token = h("input", { id: "hub-token", type: "password", required: true, autocomplete: "off" });
  const plain = plainHttpConfirm(url);
  const out = h("div", { "aria-live": "assertive" });
  const dialog = h(
    "dialog",
    { class: "dialog", "aria-labelledby": "hub-title" },
    h(
      "form",
      {
        method: "dialog",
        onsubmit: async (e: Event) => {
          e.preventDefault();
          out.replaceChildren(h("p", { class: "muted" }, "Checking the hub…"));
          const err = await app.hubs.add(url.value, token.value, plain.confirmed());
          // The engine's refusal of plain http:// is the last word (it also checks where
          // `localhost` leads): the box is offered whenever it refused.
          if (err?.message.includes("plain http://")) plain.show(true);
          if (err) out.replaceChildren(errorPanel(err, "The hub was not added"));
          else dialog.close();
        },
      },
      h("h2", { id: "hub-title" }, "Add a JupyterHub"),
      h("label", { for: "hub-url" }, "The hub's address"),
      url,
      plain.panel,
      h("label", { for: "hub-token" }, "API token"),
      token,
      h(
        "p",
        { class: "muted" },
        "Make one on the hub: Token in its menu (…/hub/token), with the scope servers!user or none. Darwinix keeps it in this computer's keychain and uses it only to start, stop and list your servers; your browser signs in through the hub itself.",
      ),
      out,
      h(
        "div",
        { class: "row end" },
        h("button", { type: "button", class: "secondary", onclick: () => dialog.close() }, "Cancel"),
        h("button", { type: "submit", class: "primary" }, "Add hub"),
      ),
    ),
  );
  dialog.addEventListener("close", () => {
    token.value = "";
    dialog.remove();
  });
  document.body.append(dialog);
  dialog.showModal?.();
  url.focus();
  return dialog;
}
