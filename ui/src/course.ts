// A project that came from a course link: where from, Get the teacher's updates (what happened
// to each file, in words) and Start over from the teacher's version (the student's copy kept in
// a dated folder, said where). Home's part; the results stay until the user closes them or
// another project becomes current.

import { api, asIpcError, type CourseFileUpdate, type CourseInfo, type CourseOpened, type CourseUpdate, type IpcError, type SetupEvent } from "./api";
import { announce } from "./dom";
import * as progress from "./progress";
import { Part, perFrame } from "./store";

export type CourseResult =
  /** The teacher's updates, fetched now or when the link was opened again. */
  | { kind: "update"; report: CourseUpdate }
  /** They could not be fetched; the student's copy opened as it was. */
  | { kind: "updateFailed"; why: string }
  /** The student's copy, kept in `kept`; the folder has the teacher's version. */
  | { kind: "startOver"; kept: string };

export interface CourseRun {
  progress: progress.Progress;
  error: IpcError | null;
}

/** The one step a course action shows (the engine's "Getting the course"). */
const UPDATE_TITLES = ["Getting the teacher's version"] as const;

export class CoursePart extends Part<CoursePart> {
  /** The folder `info` is about. */
  dir: string | null = null;
  /** Where the current project came from; null when not from a link or a shared file. */
  info: CourseInfo | null = null;
  run: CourseRun | null = null;
  result: CourseResult | null = null;

  get busy(): boolean {
    return this.run !== null && !this.run.progress.finished;
  }

  /** Another project became current. */
  reset(): void {
    this.assign({ dir: null, info: null, run: null, result: null });
  }

  async load(dir: string): Promise<void> {
    try {
      const info = await api.courseOf(dir);
      this.assign({ dir, info });
    } catch {
      this.assign({ dir, info: null });
    }
  }

  /** What opening the link again brought (a course already here gets the teacher's updates). */
  showOpened(dir: string, opened: CourseOpened): void {
    if (opened.update) this.assign({ dir, result: { kind: "update", report: opened.update } });
    else if (opened.updateFailed) this.assign({ dir, result: { kind: "updateFailed", why: opened.updateFailed } });
  }

  dismiss(): void {
    this.assign({ result: null, run: null });
  }

  /** Get the teacher's updates. */
  async update(dir: string): Promise<void> {
    const report = await this.track((onEvent) => api.courseUpdate(dir, onEvent));
    if (report) {
      this.assign({ result: { kind: "update", report } });
      announce(`The teacher's updates: ${updateSummary(report)}`);
    }
  }

  /** Start over from the teacher's version (the view asked first). */
  async startOver(dir: string): Promise<void> {
    const kept = await this.track((onEvent) => api.courseStartOver(dir, onEvent));
    if (kept) {
      this.assign({ result: { kind: "startOver", kept } });
      announce(`Your copy is kept in ${kept}`);
    }
  }

  private async track<T>(call: (onEvent: (e: SetupEvent) => void) => Promise<T>): Promise<T | null> {
    if (this.busy) return null;
    const run: CourseRun = { progress: progress.initial(UPDATE_TITLES, 1), error: null };
    this.assign({ run, result: null });
    const redraw = perFrame(this.changed);
    try {
      const value = await call((e) => {
        run.progress = progress.reduce(run.progress, e);
        redraw();
      });
      this.assign({ run: null });
      return value;
    } catch (err) {
      run.progress = progress.fail(run.progress);
      run.error = asIpcError(err);
      announce(run.error.message);
      this.changed();
      return null;
    }
  }
}

/** "3 files: 1 updated, 1 added, 1 kept yours.", or why there are none. */
export function updateSummary(report: CourseUpdate): string {
  if (report.alreadyCurrent) return "You already have the teacher's newest version.";
  if (report.files.length === 0) return "The teacher's new version changes none of the course's files.";
  const counts = new Map<string, number>();
  for (const f of report.files) counts.set(outcomeLabel(f), (counts.get(outcomeLabel(f)) ?? 0) + 1);
  const parts = [...counts].map(([label, n]) => `${n} ${label.toLowerCase()}`);
  const files = report.files.length === 1 ? "1 file" : `${report.files.length} files`;
  return `${files}: ${parts.join(", ")}.`;
}

/** One word or two for a file's outcome (its sentence says the rest). */
export function outcomeLabel(file: CourseFileUpdate): string {
  switch (file.outcome.kind) {
    case "updated":
      return "Updated";
    case "added":
      return "Added";
    case "restored":
      return "Restored";
    case "removed":
      return "Removed";
    case "keptYours":
      return "Kept yours";
    case "keptYoursTeacherRemoved":
      return "Kept yours";
    case "skippedLink":
      return "Not made";
    case "movedAside":
      return "Moved aside";
  }
}

/** The teacher's version put beside the student's file, when it was. */
export function besideCopy(file: CourseFileUpdate): string | null {
  return file.outcome.kind === "keptYours" ? file.outcome.teachersCopy : null;
}
