// The step list shown while a notebook starts.

import { h } from "../dom";
import { counter, type Progress } from "../progress";

const ICON = { waiting: "○", active: "◐", done: "✓", failed: "✕" } as const;
const SPOKEN = { waiting: "waiting", active: "in progress", done: "done", failed: "failed" } as const;

export function progressView(p: Progress, showLog: boolean, onToggleLog: (open: boolean) => void): HTMLElement {
  const steps = h(
    "ol",
    { class: "steps" },
    p.steps.map((s) => {
      const count = counter(s);
      const bar =
        s.state === "active" && s.total
          ? h("progress", { max: s.total, value: s.done ?? 0, "aria-label": `${s.title}: ${count}` })
          : null;
      return h(
        "li",
        { class: `step ${s.state}`, "data-state": s.state },
        h("span", { class: "step-icon", "aria-hidden": "true" }, ICON[s.state]),
        h(
          "div",
          { class: "step-body" },
          h(
            "div",
            { class: "step-title" },
            s.title,
            count ? h("span", { class: "step-count" }, ` ${count}`) : null,
            h("span", { class: "sr-only" }, ` (${SPOKEN[s.state]})`),
          ),
          s.detail && s.state !== "waiting" ? h("div", { class: "step-detail" }, s.detail) : null,
          bar,
        ),
      );
    }),
  );
  const source = p.source ? h("p", { class: "muted source", id: "progress-source" }, p.source) : null;
  const warnings = p.warnings.map((w) => h("p", { class: "warning", role: "status" }, "⚠ ", w));
  const log = h("pre", { class: "log", tabindex: "0", "aria-label": "Installer output" }, p.log.join("\n"));
  const details = h(
    "details",
    { class: "log-details", open: showLog },
    h("summary", {}, showLog ? "Hide details" : "Show details"),
    log,
  );
  details.addEventListener("toggle", () => onToggleLog(details.open));
  if (showLog) requestAnimationFrame(() => (log.scrollTop = log.scrollHeight));
  return h("section", { class: "progress", "aria-label": "Starting your notebook" }, steps, source, warnings, details);
}
