// What "Start Notebook" shows while it works: five steps for people, fed by the engine's
// finer-grained events. Pure: events in, a new state out, so it is tested without a window.

import type { Ignored } from "./bindings/Ignored";
import type { SetupEvent } from "./bindings/SetupEvent";
import type { SetupStep } from "./bindings/SetupStep";

export type StepState = "waiting" | "active" | "done" | "failed";

export interface Step {
  title: string;
  state: StepState;
  detail: string;
  /** Items done and total, when the step counts something. */
  done?: number;
  total?: number | null;
}

export interface Progress {
  steps: Step[];
  log: string[];
  warnings: string[];
  finished: boolean;
  /** Which setup file the packages come from, and the ones not used with why. */
  source?: string;
  /** Steps shown before the start's own: 1 when the list begins with "Getting the course". */
  offset?: number;
}

export const TITLES = [
  "Checking this computer",
  "Preparing Python",
  "Installing packages",
  "Starting JupyterLab",
  "Opening your browser",
] as const;

/** A course's download comes before the start (`COURSE_TITLES`); other lists leave it out. */
export const GETTING_COURSE = "Getting the course";

/** Opening a course link: the download, then the start. */
export const COURSE_TITLES = [GETTING_COURSE, ...TITLES] as const;

/** Index in the start's five steps; -1: before them (only a list with an offset shows it). */
const STEP_OF: Record<SetupStep, number> = {
  gettingCourse: -1,
  checkingComputer: 0,
  gettingInstaller: 1,
  creatingEnvironment: 1,
  resolving: 2,
  downloading: 2,
  installing: 2,
  startingJupyter: 3,
  openingBrowser: 4,
  checkingIndex: 0,
};

/** The log keeps its last lines only: an install can print thousands. */
export const LOG_LINES = 2000;

/** The steps of a change of packages (add, remove, update): the same events, three steps. */
export const CHANGE_TITLES = ["Checking the package index", "Preparing Python", "Installing packages"] as const;

/** `offset`: how many steps come before the start's own (1 for a course's download). */
export function initial(titles: readonly string[] = TITLES, offset = titles[0] === GETTING_COURSE ? 1 : 0): Progress {
  return {
    steps: titles.map((title) => ({ title, state: "waiting", detail: "" })),
    log: [],
    warnings: [],
    finished: false,
    ...(offset ? { offset } : {}),
  };
}

/** A course's list, its download done, going on with the start: one list from link to
 * JupyterLab. */
export function continued(p: Progress): Progress {
  return { ...p, finished: false, steps: p.steps.map((s) => (s.state === "active" ? { ...s, state: "done" } : s)) };
}

function indexOf(p: Progress, step: SetupStep): number {
  return STEP_OF[step] + (p.offset ?? 0);
}

/** "Starting JupyterLab" runs beside the installs (the shared runtime's server does not wait for
 * the project's packages): it leaves a step that is still at work as it is. */
const BESIDE_SETUP = STEP_OF.startingJupyter;

function activate(p: Progress, index: number, detail?: string): Step[] {
  // A step this list does not show (a change of packages starts no JupyterLab, a start
  // downloads no course).
  if (index < 0 || index >= p.steps.length) return p.steps.slice();
  return p.steps.map((s, i) => {
    const stillWorking = index === BESIDE_SETUP + (p.offset ?? 0) && s.state === "active";
    if (i < index && s.state !== "done" && !stillWorking) return { ...s, state: "done" };
    if (i === index) return { ...s, state: "active", detail: detail ?? s.detail };
    return s;
  });
}

export function reduce(p: Progress, e: SetupEvent): Progress {
  switch (e.event) {
    case "step":
      return { ...p, steps: activate(p, indexOf(p, e.data.step), e.data.detail) };
    case "progress": {
      const index = indexOf(p, e.data.step);
      const steps = activate(p, index);
      if (index < 0 || index >= steps.length) return p;
      const total = e.data.total;
      const counted = e.data.item ? `${e.data.item}` : steps[index].detail;
      steps[index] = { ...steps[index], done: e.data.done, total, detail: counted };
      return { ...p, steps };
    }
    case "source": {
      const detail = sourceSentence(e.data.used, e.data.ignored);
      const source = e.data.python ? `${detail} · ${e.data.python}` : detail;
      return { ...p, source, steps: activate(p, indexOf(p, "checkingComputer"), detail) };
    }
    case "warning":
      return { ...p, warnings: [...p.warnings, e.data.message] };
    case "log": {
      const log = p.log.length >= LOG_LINES ? p.log.slice(-LOG_LINES + 1) : p.log.slice();
      log.push(e.data.line);
      return { ...p, log };
    }
    case "done": {
      // Setup is over; JupyterLab comes next.
      const detail = e.data.skipped
        ? `Up to date (${e.data.packages} packages)`
        : `${e.data.packages} packages ready`;
      const installs = indexOf(p, "installing");
      const steps = p.steps.map((s, i) =>
        i <= installs ? { ...s, state: "done" as const, detail: i === installs ? detail : s.detail } : s,
      );
      return { ...p, steps };
    }
  }
}

/** "Packages from environment.yml · requirements.txt not used: environment.yml comes first",
 * as the command line says it too. */
export function sourceSentence(used: string | null, ignored: Ignored[]): string {
  const head = used ? `Packages from ${used}` : "Packages from what the notebooks import";
  return [head, ...ignored.map((i) => `${i.file} not used: ${i.why}`)].join(" · ");
}

/** The run ended well: every step that ran is done, the rest were not needed. */
export function succeed(p: Progress): Progress {
  return {
    ...p,
    finished: true,
    steps: p.steps.map((s) => (s.state === "active" ? { ...s, state: "done" } : s)),
  };
}

/** The run ended with an error: the step in progress failed. */
export function fail(p: Progress): Progress {
  return {
    ...p,
    finished: true,
    steps: p.steps.map((s) => (s.state === "active" ? { ...s, state: "failed" } : s)),
  };
}

/** "12 of 94" when a count is known. */
export function counter(s: Step): string | null {
  if (s.done === undefined) return null;
  return s.total ? `${s.done} of ${s.total}` : `${s.done}`;
}
