// Running servers: one card each, including those started from the CLI or before a crash.

import type { App } from "../app";
import type { Status } from "../api";
import { errorPanel, said } from "../errors";
import { h } from "../dom";
import { t } from "../i18n";
import { bytes, uptime } from "../format";
import { runs } from "../place";
import { hubsSection } from "./hubs";

export function serversView(app: App): HTMLElement {
  if (app.servers.length === 0) {
    return h(
      "section",
      { class: "servers empty" },
      h("h1", {}, "Running servers"),
      h("p", { class: "muted" }, "No notebook servers are running here or on your remote computers. Start one from Home."),
      hubsSection(app),
    );
  }
  const problem = app.cards.stopProblem;
  return h(
    "section",
    { class: "servers" },
    h("h1", {}, "Running servers"),
    problem ? errorPanel(problem, "The servers were not all stopped") : null,
    h("ul", { class: "cards", "aria-label": "Running servers" }, app.servers.map((s) => card(app, s))),
    hubsSection(app),
  );
}

const STATE: Record<Status["state"], string> = {
  running: "Running",
  "not responding": "Not responding",
  disconnected: "Reconnecting…",
};

function card(app: App, s: Status): HTMLElement {
  const c = app.cards.of(s.dir);
  const where = runs(s);
  const act = (label: string, action: string, fn: () => void) =>
    h(
      "button",
      {
        type: "button",
        class: action === "stop" ? "danger" : "secondary",
        "data-action": action,
        "aria-label": `${label}: ${s.name}`,
        disabled: c.acting === action,
        onclick: fn,
      },
      label,
    );
  return h(
    "li",
    { class: "card server-card", "data-dir": s.dir },
    h(
      "div",
      { class: "card-head" },
      h("h2", {}, s.name),
      h("span", { class: `badge ${s.state === "running" ? "ok" : "warn"}` }, STATE[s.state]),
    ),
    h("p", { class: "path" }, s.dir),
    h(
      "dl",
      { class: "facts" },
      where.on ? [h("dt", {}, "Runs on"), h("dd", { class: "host" }, where.on)] : null,
      h("dt", {}, "Address"),
      h("dd", { class: "address" }, s.url),
      h("dt", {}, "Up"),
      h("dd", {}, uptime(s.uptime_secs)),
      where.memory ? [h("dt", {}, "Memory"), h("dd", {}, bytes(s.memory_bytes))] : null,
      h("dt", {}, where.process),
      h("dd", {}, String(s.pid)),
    ),
    h(
      "div",
      { class: "row" },
      act("Open in browser", "open", () => void app.cards.open(s.dir)),
      act("Copy link", "copy", () => void app.cards.copyLink(s.dir)),
      act("Restart", "restart", () => void app.cards.restart(s.dir, () => app.home.starts.restart(s.dir))),
      act(c.log === null ? "Logs" : "Hide logs", "logs", () => void app.cards.toggleLog(s.dir)),
      act("Stop", "stop", () => void app.cards.stop(s.dir)),
    ),
    h("div", { class: "card-out", "aria-live": "polite" }, said(c.said)),
    h("pre", { class: "log", tabindex: "0", hidden: c.log === null, "aria-label": `Log of ${s.name}` }, c.log ?? ""),
  );
}

/** The question before a stop while a notebook still runs a cell: "analysis.ipynb is still
 * running a cell. Stop anyway?". Resolves `true` on `yes` (Stop anyway), `false` on Cancel or
 * Escape; Cancel has the focus, so a stray Enter stops nothing. */
export function askStop(said: string, yes = t("busy.stop")): Promise<boolean> {
  return new Promise((resolve) => {
    let answered = false;
    const answer = (stop: boolean) => {
      if (answered) return;
      answered = true;
      if (dialog.open) dialog.close?.();
      dialog.remove();
      resolve(stop);
    };
    const cancel = h("button", { type: "button", id: "stop-cancel", class: "secondary", onclick: () => answer(false) }, t("busy.cancel"));
    const dialog = h(
      "dialog",
      { class: "dialog stop-question", role: "alertdialog", "aria-labelledby": "stop-question-text" },
      h("p", { id: "stop-question-text" }, `${said} ${yes}?`),
      h("p", { class: "help" }, t("busy.help")),
      h(
        "div",
        { class: "row end" },
        cancel,
        h("button", { type: "button", id: "stop-anyway", class: "danger", onclick: () => answer(true) }, yes),
      ),
    );
    // Escape closes a modal dialog with a `cancel` event.
    dialog.addEventListener("cancel", () => answer(false));
    document.body.append(dialog);
    dialog.showModal?.();
    cancel.focus();
  });
}
