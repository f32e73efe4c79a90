import { describe, expect, it } from "vitest";
import type { SetupEvent } from "../src/bindings/SetupEvent";
import { continued, counter, COURSE_TITLES, fail, initial, LOG_LINES, reduce, succeed } from "../src/progress";

const run = (events: SetupEvent[]) => events.reduce(reduce, initial());

describe("the step list", () => {
  it("says which setup file the packages come from, and which are not used", () => {
    const p = run([
      {
        event: "source",
        data: {
          used: "environment.yml",
          ignored: [{ file: "requirements.txt", why: "environment.yml comes first" }],
          python: "Python 3.9, as environment.yml asks",
        },
      },
    ]);
    expect(p.steps[0]).toMatchObject({ state: "active", detail: "Packages from environment.yml · requirements.txt not used: environment.yml comes first" });
    expect(p.source).toBe(
      "Packages from environment.yml · requirements.txt not used: environment.yml comes first · Python 3.9, as environment.yml asks",
    );
    expect(run([{ event: "source", data: { used: null, ignored: [], python: null } }]).source).toBe(
      "Packages from what the notebooks import",
    );
  });

  it("maps the engine's steps onto five steps for people", () => {
    const p = run([
      { event: "step", data: { step: "checkingComputer", detail: "Python 3.11.7" } },
      { event: "step", data: { step: "creatingEnvironment", detail: "Creating .venv" } },
      { event: "step", data: { step: "downloading", detail: "Downloading" } },
      { event: "progress", data: { step: "downloading", done: 12, total: 94, item: "numpy" } },
    ]);
    expect(p.steps.map((s) => s.state)).toEqual(["done", "done", "active", "waiting", "waiting"]);
    expect(p.steps[2].detail).toBe("numpy");
    expect(counter(p.steps[2])).toBe("12 of 94");
    expect(counter(p.steps[0])).toBeNull();
  });

  it("marks setup done (or up to date) when the engine says so, then JupyterLab starts", () => {
    let p = run([
      { event: "step", data: { step: "checkingComputer", detail: "" } },
      { event: "done", data: { packages: 93, elapsedMs: 0, skipped: true, installer: "uv", log: "/l" } },
      { event: "step", data: { step: "startingJupyter", detail: "Starting JupyterLab" } },
    ]);
    expect(p.steps[2].detail).toBe("Up to date (93 packages)");
    expect(p.steps.map((s) => s.state)).toEqual(["done", "done", "done", "active", "waiting"]);
    p = succeed(p);
    expect(p.finished).toBe(true);
    expect(p.steps[3].state).toBe("done");
  });

  it("shows JupyterLab starting beside the packages that are still installing", () => {
    let p = run([
      { event: "step", data: { step: "checkingComputer", detail: "" } },
      { event: "step", data: { step: "installing", detail: "Installing 9 packages" } },
      { event: "step", data: { step: "startingJupyter", detail: "Starting JupyterLab" } },
      { event: "progress", data: { step: "installing", done: 3, total: 9, item: "pandas" } },
      { event: "step", data: { step: "startingJupyter", detail: "JupyterLab is ready; your packages are still installing" } },
    ]);
    expect(p.steps.map((s) => s.state)).toEqual(["done", "done", "active", "active", "waiting"]);
    expect(p.steps[3].detail).toBe("JupyterLab is ready; your packages are still installing");
    p = reduce(p, { event: "done", data: { packages: 9, elapsedMs: 0, skipped: false, installer: "uv", log: "/l" } });
    expect(p.steps.map((s) => s.state)).toEqual(["done", "done", "done", "active", "waiting"]);
  });

  it("fails the step in progress and keeps warnings and the log", () => {
    let p = run([
      { event: "step", data: { step: "installing", detail: "" } },
      { event: "warning", data: { message: "falling back to pip" } },
      { event: "log", data: { line: "Collecting numpy" } },
    ]);
    p = fail(p);
    expect(p.steps[2].state).toBe("failed");
    expect(p.warnings).toEqual(["falling back to pip"]);
    expect(p.log).toEqual(["Collecting numpy"]);
  });

  it("keeps only the end of a long log", () => {
    const lines: SetupEvent[] = Array.from({ length: LOG_LINES + 50 }, (_, i) => ({ event: "log", data: { line: `l${i}` } }));
    const p = run(lines);
    expect(p.log.length).toBe(LOG_LINES);
    expect(p.log.at(-1)).toBe(`l${LOG_LINES + 49}`);
  });

  it("puts a course's download first, and the start goes on in the same list", () => {
    const download: SetupEvent[] = [
      { event: "step", data: { step: "gettingCourse", detail: "Downloading github.com/ann/course" } },
      { event: "progress", data: { step: "gettingCourse", done: 3, total: 9, item: "1 MB received" } },
    ];
    let p = download.reduce(reduce, initial(COURSE_TITLES));
    expect(p.steps.map((s) => s.state)).toEqual(["active", "waiting", "waiting", "waiting", "waiting", "waiting"]);
    expect(counter(p.steps[0])).toBe("3 of 9");
    p = continued(p);
    const start: SetupEvent[] = [
      { event: "step", data: { step: "checkingComputer", detail: "Python 3.11" } },
      { event: "done", data: { packages: 4, elapsedMs: 10, skipped: false, installer: "uv", log: "/l" } },
    ];
    p = start.reduce(reduce, p);
    expect(p.steps.map((s) => s.state)).toEqual(["done", "done", "done", "done", "waiting", "waiting"]);
    expect(p.steps[3].detail).toBe("4 packages ready");
    // A start alone never shows the course's step, and ignores its events.
    expect(run([{ event: "step", data: { step: "gettingCourse", detail: "x" } }]).steps.every((s) => s.state === "waiting")).toBe(true);
  });
});
