// Running servers: one card each, including those started from the CLI or before a crash.

import type { App } from "../app";
import { api, asIpcError, type Status } from "../api";
import { errorPanel } from "../errors";
import { h } from "../dom";
import { bytes, uptime } from "../format";

export function serversView(app: App): HTMLElement {
  if (app.servers.length === 0) {
    return h(
      "section",
      { class: "servers empty" },
      h("h1", {}, "Running servers"),
      h("p", { class: "muted" }, "No notebook servers are running. Start one from Home."),
    );
  }
  return h(
    "section",
    { class: "servers" },
    h("h1", {}, "Running servers"),
    h("ul", { class: "cards", "aria-label": "Running servers" }, app.servers.map((s) => card(app, s))),
  );
}

/** What a card shows beyond the server itself; kept across redraws (the list refreshes often). */
const extras = new Map<string, { log?: string; out?: HTMLElement }>();

function card(app: App, s: Status): HTMLElement {
  const extra = extras.get(s.dir) ?? {};
  extras.set(s.dir, extra);
  const out = h("div", { class: "card-out", "aria-live": "polite" }, extra.out ?? null);
  const say = (el: HTMLElement) => {
    extra.out = el;
    out.replaceChildren(el);
  };
  const act = (label: string, action: string, fn: () => Promise<unknown>) =>
    h(
      "button",
      {
        type: "button",
        class: action === "stop" ? "danger" : "secondary",
        "data-action": action,
        "aria-label": `${label}: ${s.name}`,
        onclick: async (e: Event) => {
          const button = e.currentTarget as HTMLButtonElement;
          button.disabled = true;
          try {
            await fn();
          } catch (err) {
            say(errorPanel(asIpcError(err)));
          } finally {
            button.disabled = false;
          }
        },
      },
      label,
    );
  const log = h(
    "pre",
    { class: "log", tabindex: "0", hidden: extra.log === undefined, "aria-label": `Log of ${s.name}` },
    extra.log ?? "",
  );
  return h(
    "li",
    { class: "card server-card", "data-dir": s.dir },
    h(
      "div",
      { class: "card-head" },
      h("h2", {}, s.name),
      h("span", { class: `badge ${s.state === "running" ? "ok" : "warn"}` }, s.state === "running" ? "Running" : "Not responding"),
    ),
    h("p", { class: "path" }, s.dir),
    h(
      "dl",
      { class: "facts" },
      h("dt", {}, "Address"),
      h("dd", { class: "address" }, s.url),
      h("dt", {}, "Up"),
      h("dd", {}, uptime(s.uptime_secs)),
      h("dt", {}, "Memory"),
      h("dd", {}, bytes(s.memory_bytes)),
      h("dt", {}, "Process"),
      h("dd", {}, String(s.pid)),
    ),
    h(
      "div",
      { class: "row" },
      act("Open in browser", "open", () => api.openServer(s.dir)),
      act("Copy link", "copy", async () => {
        await api.copy(await api.serverLink(s.dir));
        say(h("span", { class: "muted" }, "Link copied. It logs you in: keep it to yourself."));
      }),
      act("Restart", "restart", () => app.restart(s.dir)),
      act(extra.log === undefined ? "Logs" : "Hide logs", "logs", async () => {
        extra.log = extra.log === undefined ? (await api.serverLog(s.dir)) || "(the log is empty)" : undefined;
        app.render();
      }),
      act("Stop", "stop", async () => {
        const err = await app.stop(s.dir);
        if (err) throw err;
      }),
    ),
    out,
    log,
  );
}
