// The update notice (a banner above every view) and Settings → Updates. Both draw from the
// store's `updates` and call its intents, nothing else.

import type { App } from "../app";
import type { IpcError, Settings, UpdateStatus } from "../api";
import type { Available } from "../bindings/Available";
import { h } from "../dom";
import { errorPanel } from "../errors";

/** The banner: an update found (what changed, Install and restart or the download link), the
 * question about running notebooks, an install under way, or a refusal. */
export function updateNotice(app: App): HTMLElement | null {
  const u = app.updates;
  const status = u.status;
  const kind = u.notice;
  if (!status || !kind) return null;
  const state = status.state;
  if (kind === "installing" && state.state === "installing") {
    return banner(h("p", { class: "update-step", role: "status" }, state.data.step), h("progress", { "aria-label": "Installing the update" }));
  }
  if (kind === "problem") return problem(app, u.installError ?? fromState(status));
  if (state.state !== "available") return null;
  const later = h("button", { type: "button", id: "update-later", class: "secondary", onclick: () => u.later() }, "Later");
  const body = u.asking ? question(app) : offer(app, state.data, later);
  return banner(
    h("h2", {}, `Darwinix ${state.data.version} is available`, h("span", { class: "muted" }, ` — you have ${status.current_version}`)),
    notes(state.data.notes),
    body,
  );
}

function banner(...children: (HTMLElement | null)[]): HTMLElement {
  return h("div", { class: "update-notice", role: "region", "aria-label": "Update" }, ...children);
}

function notes(text: string | null): HTMLElement | null {
  if (!text) return null;
  return h("details", { class: "update-notes", open: true }, h("summary", {}, "What changed"), h("div", { class: "notes-text" }, text));
}

function offer(app: App, a: Available, later: HTMLElement): HTMLElement {
  const u = app.updates;
  if (a.download_only) {
    return h(
      "div",
      {},
      h("p", { class: "help" }, a.download_only, " Download it from its release page and install it as you installed Darwinix."),
      h("div", { class: "row" }, h("button", { type: "button", id: "update-download", class: "primary", onclick: () => void u.openDownloadPage() }, "Open the download page"), later),
    );
  }
  return h(
    "div",
    { class: "row" },
    h("button", { type: "button", id: "update-install", class: "primary", onclick: () => u.install() }, "Install and restart"),
    later,
    h("span", { class: "muted" }, "Darwinix closes for a moment and opens again."),
  );
}

/** Before the restart: the running notebooks stay (separate programs) or stop. */
function question(app: App): HTMLElement {
  const u = app.updates;
  const n = app.servers.length;
  return h(
    "div",
    { class: "update-question", role: "group", "aria-labelledby": "update-question-text" },
    h("p", { id: "update-question-text" }, `${n === 1 ? "A notebook is" : `${n} notebooks are`} running. Keep ${n === 1 ? "it" : "them"} running while Darwinix updates and restarts?`),
    h(
      "div",
      { class: "row" },
      h("button", { type: "button", id: "update-keep", class: "primary", onclick: () => void u.answer("keep") }, "Keep running"),
      h("button", { type: "button", id: "update-stop", class: "secondary", onclick: () => void u.answer("stop") }, "Stop them"),
      h("button", { type: "button", id: "update-cancel", class: "secondary", onclick: () => u.cancelQuestion() }, "Cancel"),
    ),
  );
}

function fromState(status: UpdateStatus): IpcError {
  if (status.state.state !== "problem") return { message: "", hint: null, details: "", action: null };
  const p = status.state.data;
  return { message: p.message, hint: p.hint || null, details: p.details || p.message, action: null };
}

function problem(app: App, err: IpcError): HTMLElement {
  const u = app.updates;
  const fixes = [
    h("button", { type: "button", id: "update-download", class: "secondary", onclick: () => void u.openDownloadPage() }, "Open the download page"),
    h("button", { type: "button", id: "update-later", class: "secondary", onclick: () => u.later() }, "Dismiss"),
  ];
  return banner(errorPanel(err, "The update was not installed", fixes));
}

/** Settings → Updates: the switch (saved with the form), Check now, when it last asked and
 * what it found. */
export function updatesGroup(app: App, s: Settings): HTMLElement {
  const u = app.updates;
  const managed = u.status?.checks === "offByEnvironment";
  return h(
    "fieldset",
    { class: "updates" },
    h("legend", {}, "Updates"),
    h("label", { class: "check" }, h("input", { type: "checkbox", id: "update_checks", name: "update_checks", checked: s.update_checks, "aria-describedby": "update_checks-help" }), " Check for updates once a day"),
    h(
      "p",
      { class: "help", id: "update_checks-help" },
      managed
        ? "Turned off for this computer (DARWINIX_NO_UPDATE_CHECK is set): Darwinix never asks, whatever this says."
        : "Darwinix asks GitHub whether a new release exists, and installs one only when you say so. Off: it never asks.",
    ),
    h(
      "div",
      { class: "row" },
      h("button", { type: "button", id: "check-now", class: "secondary", disabled: u.checking || managed || !s.update_checks, onclick: () => void u.checkNow() }, u.checking ? "Checking…" : "Check now"),
      h("span", { class: "muted", id: "update-status", role: "status" }, statusLine(u.status)),
    ),
    u.checkError ? errorPanel(u.checkError, "Could not check for updates") : null,
  );
}

/** "Darwinix 0.1.0 · last checked … · up to date". */
export function statusLine(status: UpdateStatus | null): string {
  if (!status) return "";
  const parts = [`Darwinix ${status.current_version}`];
  parts.push(status.last_checked ? `last checked ${new Date(status.last_checked).toLocaleString()}` : "not checked yet");
  const said: Record<string, string> = {
    idle: "",
    checking: "checking…",
    upToDate: "up to date",
    installing: "installing…",
  };
  const state = status.state;
  if (state.state === "available") parts.push(`${state.data.version} is available`);
  else if (state.state === "problem") parts.push(state.data.message);
  else if (said[state.state]) parts.push(said[state.state]);
  return parts.join(" · ");
}
