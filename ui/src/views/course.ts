// A course's line on Home (where it came from, Get the teacher's updates, Start over from the
// teacher's version…), the results file by file, and the question before starting over (the
// state is ../course.ts).

import type { App } from "../app";
import type { CourseUpdate, IpcError } from "../api";
import { besideCopy, outcomeLabel, updateSummary } from "../course";
import { errorPanel } from "../errors";
import { h, withCode } from "../dom";
import { progressView } from "./progress";

/** "From https://github.com/ann/course", and the teacher's version's two buttons. */
export function courseLine(app: App): HTMLElement | null {
  const course = app.home.course;
  const info = course.info;
  if (!info || course.dir !== app.home.project?.dir) return null;
  const busy = app.busy;
  const buttons = info.updatable
    ? [
        h(
          "button",
          { type: "button", id: "course-update", class: "secondary", disabled: busy, onclick: () => void app.home.updateCourse() },
          "Get the teacher's updates",
        ),
        h(
          "button",
          { type: "button", id: "course-start-over", class: "secondary", disabled: busy, onclick: () => startOverDialog(app) },
          "Start over from the teacher's version…",
        ),
      ]
    : [];
  return h("div", { class: "course-line", id: "course-line" }, h("p", { class: "muted" }, `From ${info.origin}`), h("div", { class: "row" }, buttons));
}

/** A course action at work, its failure, or what it did. */
export function courseResults(app: App): HTMLElement | null {
  const course = app.home.course;
  if (course.dir !== app.home.project?.dir) return null;
  if (course.run) {
    return h(
      "section",
      { class: "course-results", "aria-label": "The teacher's version" },
      progressView(course.run.progress, false, () => {}),
      course.run.error ? errorPanel(course.run.error, "The teacher's version could not be fetched", fixes(app, course.run.error)) : null,
    );
  }
  const result = course.result;
  if (!result) return null;
  switch (result.kind) {
    case "update":
      return updateResults(app, result.report);
    case "updateFailed":
      return h(
        "section",
        { class: "course-results", id: "course-updates" },
        h("p", { class: "warning" }, `⚠ Could not get the teacher's updates: ${result.why}. Your copy opened as it is.`),
        closeRow(app),
      );
    case "startOver":
      return h(
        "section",
        { class: "course-results", id: "course-started-over", role: "status" },
        h("p", {}, "Your copy is kept, as it was, in ", h("strong", { id: "course-kept" }, result.kept), "."),
        h("p", {}, "This folder now has the teacher's version. Press Start Notebook to set it up and open it."),
        closeRow(app),
      );
  }
}

/** Outcomes the student should look at: theirs kept beside the teacher's, one moved, one not made. */
const TOLD = new Set(["keptYours", "keptYoursTeacherRemoved", "movedAside", "skippedLink"]);

/** What the teacher's updates did, file by file. */
function updateResults(app: App, report: CourseUpdate): HTMLElement {
  const rows = report.files.map((file) =>
    h(
      "tr",
      { "data-outcome": file.outcome.kind, "data-beside": besideCopy(file) ?? undefined },
      h("td", {}, h("code", {}, file.path)),
      h("td", {}, h("span", { class: `badge ${TOLD.has(file.outcome.kind) ? "warn" : "ok"}` }, outcomeLabel(file))),
      // The engine's sentence names the teacher's copy beside the student's file.
      h("td", {}, withCode(file.words)),
    ),
  );
  const commits = report.alreadyCurrent || report.before === report.after ? null : h("p", { class: "muted" }, `Version ${report.before} → ${report.after}`);
  return h(
    "section",
    { class: "course-results", id: "course-updates", "aria-labelledby": "course-updates-title" },
    h("h2", { id: "course-updates-title" }, "The teacher's updates"),
    h("p", { id: "course-updates-summary" }, updateSummary(report)),
    commits,
    rows.length
      ? h(
          "table",
          { class: "course-files", id: "course-files" },
          h("thead", {}, h("tr", {}, h("th", {}, "File"), h("th", {}, "What happened"), h("th", {}, ""))),
          h("tbody", {}, rows),
        )
      : null,
    rows.length ? h("p", { class: "muted" }, "Files you made yourself are never touched, and never listed.") : null,
    closeRow(app),
  );
}

function closeRow(app: App): HTMLElement {
  return h("div", { class: "row" }, h("button", { type: "button", id: "course-results-close", class: "secondary", onclick: () => app.home.course.dismiss() }, "Close"));
}

function fixes(app: App, err: IpcError): HTMLElement[] {
  if (err.action !== "startOver") return [];
  return [
    h("button", { type: "button", class: "primary", onclick: () => startOverDialog(app) }, "Start over from the teacher's version…"),
  ];
}

/** Start over: says what happens to the student's copy before anything moves. */
export function startOverDialog(app: App): HTMLDialogElement | null {
  const project = app.home.project;
  if (!project) return null;
  const running = app.serverOf(project.dir) !== undefined;
  const dialog = h(
    "dialog",
    { class: "dialog", id: "start-over-dialog", "aria-labelledby": "start-over-title" },
    h("h2", { id: "start-over-title" }, "Start over from the teacher's version?"),
    h("p", {}, "Your copy of ", h("strong", {}, project.name), " is kept, as it is now, in a dated folder beside it (", h("code", {}, `${project.name} (my copy ${today()})`), "). Nothing of yours is deleted."),
    h("p", {}, "The teacher's version is then downloaded afresh into ", h("strong", {}, project.dir), "."),
    running ? h("p", { class: "warning" }, "Its JupyterLab is stopped first: save your notebooks in the browser before you go on.") : null,
    h(
      "div",
      { class: "row end" },
      h("button", { type: "button", class: "secondary", onclick: () => dialog.close() }, "Cancel"),
      h(
        "button",
        {
          type: "button",
          id: "start-over-go",
          class: "primary",
          onclick: () => {
            dialog.close();
            void app.home.startOverCourse();
          },
        },
        "Start over",
      ),
    ),
  );
  dialog.addEventListener("close", () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal?.();
  return dialog;
}

/** `2026-12-06`, as the kept folder is named. */
function today(): string {
  const d = new Date();
  const two = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`;
}
