// Courses from links and Share… against a mocked IPC: the messages the Rust side sends
// (course_commands.rs, share_commands.rs), the DOM the user sees.
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { emit } from "@tauri-apps/api/event";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { CourseUpdate } from "../src/bindings/CourseUpdate";
import type { Home } from "../src/bindings/Home";
import type { LinkOffer } from "../src/bindings/LinkOffer";
import type { SetupEvent } from "../src/bindings/SetupEvent";
import type { ShareView } from "../src/bindings/ShareView";
import { timing } from "../src/app";
import { boot } from "../src/main";
import { updateSummary } from "../src/course";
import { contentLine, defaultOut } from "../src/share";
import { withCode } from "../src/dom";

const HOME: Home = {
  project: { dir: "/home/ada/Documents/Darwinix", name: "Darwinix", added: [], host: null },
  recent: [],
  recent_notebooks: [],
  default_dir: "/home/ada/Documents/Darwinix",
};
const COURSE = { dir: "/home/ada/Darwinix/course", name: "course", added: [], host: null };
const LINK = "https://github.com/ann/course/blob/main/a.ipynb";
const JUPYTER = {
  packages_from: "requirements.txt",
  not_used: [],
  picked_file: null,
  setup_files: ["requirements.txt"],
  python_wanted: null,
  jupyterlab: "JupyterLab 4.6.6, shared by your projects",
  runtime: "/r",
  kernel_python: "/k",
  kernel_shared: true,
  ignore_pins: false,
  lists_jupyterlab: false,
  shared_jupyterlab: false,
  gpu: [],
};

type Call = { cmd: string; args: Record<string, any> };
let calls: Call[];
let handlers: Record<string, (args: any) => unknown>;

const tick = () => new Promise((r) => setTimeout(r, 30));
const byId = (id: string) => document.getElementById(id);
const click = (el: Element | null) => {
  expect(el, "element to click").not.toBeNull();
  (el as HTMLElement).click();
};
const called = (cmd: string) => calls.filter((c) => c.cmd === cmd);

function send(channel: { id: number }, events: SetupEvent[]) {
  events.forEach((message, index) => (window as any).__TAURI_INTERNALS__.runCallback(channel.id, { index, message }));
}

function started(args: any) {
  return { dir: args.dir, url: "http://127.0.0.1:4000/lab", port: 4000, pid: 1, started_at: 0, log: "/l", reused: false, notebook_url: null };
}

function opened(update: CourseUpdate | null = null) {
  return { project: COURSE, opened: { dir: COURSE.dir, notebook: "a.ipynb", fresh: update === null, update, updateFailed: null } };
}

const UPDATE: CourseUpdate = {
  before: "1a2b3c4",
  after: "5d6e7f8",
  alreadyCurrent: false,
  files: [
    { path: "b.ipynb", outcome: { kind: "updated" }, words: "updated to the teacher's new version" },
    {
      path: "a.ipynb",
      outcome: { kind: "keptYours", teachersCopy: "a (teacher's version).ipynb" },
      words: "you changed it: yours is kept, the teacher's version is beside it",
    },
    { path: "data.csv", outcome: { kind: "restored" }, words: "you had deleted it: it is back" },
  ],
};

beforeEach(() => {
  document.body.innerHTML = `
    <nav><button data-view="home"></button><button data-view="packages"></button><button data-view="servers"></button>
    <button data-view="computer"></button><button data-view="settings"></button></nav>
    <span id="server-count" hidden></span><main id="view"></main><p id="announcer"></p>`;
  calls = [];
  handlers = {
    home: () => HOME,
    servers: () => [],
    hubs: () => [],
    project_settings: () => ({ backend: { kind: "auto" }, has_flake: false, distros: [], jupyter: JUPYTER }),
    packages_found: () => null,
    keep_ready: () => false,
    notebooks: () => [],
    pending: () => ({ open: null, browser_failed: null }),
    pending_link: () => null,
    course_of: () => null,
    course_place: () => "/home/ada/Darwinix",
    start_notebook: (args) => started(args),
  };
  timing.warmUpDelayMs = 0;
  mockIPC(
    (cmd, args) => {
      calls.push({ cmd, args: args as Record<string, any> });
      const handler = handlers[cmd];
      if (!handler) throw new Error(`unexpected command ${cmd}`);
      return handler(args);
    },
    { shouldMockEvents: true },
  );
});

afterEach(() => clearMocks());

/** Open link…, the link typed, Open. */
async function openLink(text: string) {
  click(byId("open-link-button"));
  const input = byId("link-text") as HTMLInputElement;
  input.value = text;
  input.dispatchEvent(new Event("input"));
  byId("open-link")!.querySelector("form")!.dispatchEvent(new Event("submit", { cancelable: true }));
  await tick();
  await tick();
}

describe("Open link…", () => {
  it("gets the course with its step, then starts it on the link's notebook in the same list", async () => {
    handlers.open_link = async (args) => {
      send(args.onEvent, [
        { event: "step", data: { step: "gettingCourse", detail: "Downloading github.com/ann/course" } },
        { event: "progress", data: { step: "gettingCourse", done: 40, total: 80, item: "1.2 MB received" } },
      ]);
      await tick();
      expect(byId("open-link")!.textContent).toContain("Getting the course");
      expect(byId("open-link")!.textContent).toContain("40 of 80");
      return opened();
    };
    await boot();
    await openLink(LINK);
    expect(called("open_link")[0].args).toMatchObject({ link: LINK, into: null, allowLarge: false });
    expect(byId("project-name")!.textContent).toBe("course");
    expect(called("start_notebook")[0].args).toMatchObject({ dir: COURSE.dir, notebook: "a.ipynb" });
    const steps = [...document.querySelectorAll(".step")];
    expect(steps.length).toBe(6);
    expect(steps[0].textContent).toContain("Getting the course");
    expect(steps[0].getAttribute("data-state")).toBe("done");
    expect(byId("open-link")).toBeNull();
  });

  it("says where courses go, and sends the folder chosen with Change…", async () => {
    handlers["plugin:dialog|open"] = () => "/media/usb/Courses";
    handlers.open_link = () => opened();
    await boot();
    click(byId("open-link-button"));
    await tick();
    expect(byId("course-place")!.textContent).toContain("/home/ada/Darwinix");
    click(byId("course-place")!.querySelector("button"));
    await tick();
    expect(byId("course-place")!.textContent).toContain("/media/usb/Courses");
    await openLink(LINK);
    expect(called("open_link")[0].args.into).toBe("/media/usb/Courses");
  });

  it("offers Download anyway for a repository over the size limit, and opens it again when pressed", async () => {
    handlers.open_link = (args) => {
      if (!args.allowLarge) {
        send(args.onEvent, [{ event: "step", data: { step: "gettingCourse", detail: "Downloading github.com/ann/big" } }]);
        throw {
          message: "the repository at https://github.com/ann/big is bigger than 1.0 GB: the download was stopped",
          hint: "press Download anyway if you have the disk space and the time; nothing was kept from the stopped download",
          details: "d",
          action: "downloadAnyway",
        };
      }
      return opened();
    };
    await boot();
    await openLink("https://github.com/ann/big");
    expect(byId("open-link")!.textContent).toContain("press Download anyway");
    expect(document.querySelector(".step.failed")).not.toBeNull();
    click(byId("download-anyway"));
    await tick();
    await tick();
    expect(called("open_link").map((c) => c.args.allowLarge)).toEqual([false, true]);
    expect(called("open_link")[1].args.link).toBe("https://github.com/ann/big");
    expect(byId("project-name")!.textContent).toBe("course");
  });

  it("asks about a clicked link, naming what and where, and downloads nothing before Open", async () => {
    const offer: LinkOffer = {
      text: "darwinix://open?repo=https://github.com/ann/course&path=a.ipynb",
      link: { kind: "repository", url: "https://github.com/ann/course", branch: null, path: "a.ipynb" },
      place: "/home/ada/Darwinix",
      alreadyHere: false,
      refused: null,
    };
    let pendingLink: LinkOffer | null = null;
    handlers.pending_link = () => {
      const now = pendingLink;
      pendingLink = null;
      return now;
    };
    handlers.open_link = () => opened();
    await boot();
    pendingLink = offer;
    await emit("pending");
    await tick();
    const panel = byId("open-link")!;
    expect(panel.textContent).toContain("Open this course?");
    expect(byId("link-what")!.textContent).toContain("the repository https://github.com/ann/course, opening a.ipynb");
    expect(byId("course-place")!.textContent).toContain("/home/ada/Darwinix");
    expect(called("open_link").length).toBe(0);
    panel.querySelector("form")!.dispatchEvent(new Event("submit", { cancelable: true }));
    await tick();
    await tick();
    expect(called("open_link")[0].args.link).toBe(offer.text);
    expect(called("start_notebook")[0].args.notebook).toBe("a.ipynb");
  });

  it("shows why a clicked link is refused, with no Open", async () => {
    handlers.pending_link = () => ({
      text: "darwinix://open?repo=file:///etc",
      link: null,
      place: null,
      alreadyHere: false,
      refused: { message: "Darwinix cannot open `file:///etc`: only https:// addresses can be opened", hint: "paste the https:// address", details: "d", action: null },
    });
    await boot();
    await tick();
    expect(byId("open-link")!.textContent).toContain("only https:// addresses can be opened");
    expect(byId("open-link-go")).toBeNull();
    click(byId("open-link-cancel"));
    await tick();
    expect(byId("open-link")).toBeNull();
  });

  it("shows the teacher's updates file by file when the course was already here", async () => {
    handlers.open_link = () => opened(UPDATE);
    await boot();
    await openLink(LINK);
    const results = byId("course-updates")!;
    expect(byId("course-updates-summary")!.textContent).toBe("3 files: 1 updated, 1 kept yours, 1 restored.");
    const rows = [...results.querySelectorAll("tbody tr")].map((r) => r.getAttribute("data-outcome"));
    expect(rows).toEqual(["updated", "keptYours", "restored"]);
    expect(results.querySelector('[data-outcome="keptYours"]')!.getAttribute("data-beside")).toBe("a (teacher's version).ipynb");
    expect(results.textContent).toContain("you had deleted it: it is back");
    expect(called("start_notebook").length).toBe(1);
  });
});

describe("A course's actions", () => {
  beforeEach(() => {
    handlers.home = () => ({ ...HOME, project: COURSE });
    handlers.course_of = () => ({ origin: "https://github.com/ann/course", updatable: true });
  });

  it("says where the course came from and gets the teacher's updates", async () => {
    handlers.course_update = (args) => {
      send(args.onEvent, [{ event: "step", data: { step: "gettingCourse", detail: "Getting the teacher's updates" } }]);
      return UPDATE;
    };
    await boot();
    await tick();
    expect(byId("course-line")!.textContent).toContain("From https://github.com/ann/course");
    click(byId("course-update"));
    await tick();
    expect(called("course_update")[0].args.dir).toBe(COURSE.dir);
    expect(byId("course-files")!.querySelectorAll("tbody tr").length).toBe(3);
    click(byId("course-results-close"));
    await tick();
    expect(byId("course-updates")).toBeNull();
  });

  it("asks before starting over, says the student's copy is kept, then where", async () => {
    handlers.course_start_over = () => "/home/ada/Darwinix/course (my copy 2026-12-06)";
    await boot();
    await tick();
    click(byId("course-start-over"));
    const dialog = byId("start-over-dialog")!;
    expect(dialog.textContent).toContain("is kept, as it is now, in a dated folder beside it");
    expect(called("course_start_over").length).toBe(0);
    click(byId("start-over-go"));
    await tick();
    expect(called("course_start_over")[0].args.dir).toBe(COURSE.dir);
    expect(byId("course-kept")!.textContent).toBe("/home/ada/Darwinix/course (my copy 2026-12-06)");
  });

  it("offers Start over when the course's own git data is damaged", async () => {
    handlers.course_update = () => {
      throw { message: "the course folder cannot be updated: its branch is gone", hint: "press Start over from the teacher's version", details: "d", action: "startOver" };
    };
    await boot();
    await tick();
    click(byId("course-update"));
    await tick();
    const fix = [...document.querySelectorAll(".course-results button")].find((b) => b.textContent?.startsWith("Start over"));
    click(fix!);
    expect(byId("start-over-dialog")).not.toBeNull();
  });

  it("shows no teacher's buttons for a project that came from a shared file", async () => {
    handlers.course_of = () => ({ origin: "the shared file Course.darwinix.zip", updatable: false });
    await boot();
    await tick();
    expect(byId("course-line")!.textContent).toContain("the shared file Course.darwinix.zip");
    expect(byId("course-update")).toBeNull();
  });
});

const VIEW: ShareView = {
  plan: {
    dir: "/home/ada/Documents/Darwinix",
    name: "Darwinix",
    setupFile: "requirements.txt",
    files: [
      { path: "intro.ipynb", bytes: 2048, kind: "notebook" },
      { path: "requirements.txt", bytes: 20, kind: "setup" },
      { path: "video.mp4", bytes: 80 * 1024 * 1024, kind: "other" },
    ],
    skipped: [],
    hasEnvironment: true,
    python: "3.11",
    totalBytes: 2068 + 80 * 1024 * 1024,
  },
  big: [{ path: "video.mp4", bytes: 80 * 1024 * 1024, kind: "other" }],
  limit: 50 * 1024 * 1024,
  link: "darwinix://open?repo=https%3A%2F%2Fgithub.com%2Fada%2Fnotes&branch=main",
  noLink: null,
};

describe("Share…", () => {
  it("copies the link, lists the files, leaves the big one out unless ticked, and saves the file", async () => {
    handlers.share_plan = () => VIEW;
    handlers["plugin:clipboard-manager|write_text"] = () => null;
    handlers.share_export = (args) => {
      send(args.onEvent, [{ event: "log", data: { line: "Writing /home/ada/Documents/Darwinix.darwinix.zip" } }]);
      return {
        file: "/home/ada/Documents/Darwinix.darwinix.zip",
        files: ["intro.ipynb", "requirements.txt"],
        leftOut: [VIEW.big[0]],
        skipped: [],
        packages: 12,
        notLocked: [],
        wheels: 12,
        bytes: 3 * 1024 * 1024,
      };
    };
    await boot();
    click(byId("share"));
    await tick();
    expect(byId("share-link")!.textContent).toBe(VIEW.link);
    click(byId("share-copy"));
    await tick();
    expect(called("plugin:clipboard-manager|write_text")[0].args).toMatchObject({ text: VIEW.link });
    expect(byId("share-files")!.querySelectorAll("tr").length).toBe(3);
    expect(byId("share-content")!.textContent).toBe("What goes in: 2 files, 2.0 KB");
    (byId("share-large") as HTMLInputElement).click();
    expect(byId("share-content")!.textContent).toContain("3 files, 80 MB");
    (byId("share-large") as HTMLInputElement).click();
    (byId("share-offline") as HTMLInputElement).click();
    expect((byId("share-out") as HTMLInputElement).value).toBe("/home/ada/Documents/Darwinix.darwinix.zip");
    click(byId("share-save"));
    await tick();
    expect(called("share_export")[0].args).toMatchObject({
      dir: HOME.project.dir,
      offline: true,
      includeLarge: false,
      out: "/home/ada/Documents/Darwinix.darwinix.zip",
    });
    const result = byId("share-result")!.textContent!;
    expect(result).toContain("Saved /home/ada/Documents/Darwinix.darwinix.zip (3.0 MB)");
    expect(result).toContain("Left out, as you chose: video.mp4 (80 MB)");
    expect(result).toContain("installs with no network");
  });

  it("says why there is no link, and asks for a first start before a file", async () => {
    handlers.share_plan = () => ({
      ...VIEW,
      big: [],
      link: null,
      noLink: "`/p` has no public https:// git address to link to (it is not a git checkout with a remote)",
      plan: { ...VIEW.plan, hasEnvironment: false },
    });
    await boot();
    click(byId("share"));
    await tick();
    expect(byId("share-no-link")!.textContent).toContain("it is not a git checkout with a remote");
    expect(byId("share-needs-start")).not.toBeNull();
    expect((byId("share-save") as HTMLButtonElement).disabled).toBe(true);
    expect(byId("share-big")).toBeNull();
  });

  it("words the defaults and sizes from the plan", () => {
    expect(defaultOut(VIEW)).toBe("/home/ada/Documents/Darwinix.darwinix.zip");
    expect(defaultOut({ ...VIEW, plan: { ...VIEW.plan, dir: "C:\\Users\\ada\\Notes", name: "Notes" } })).toBe("C:\\Users\\ada\\Notes.darwinix.zip");
    expect(contentLine(VIEW, true)).toBe("3 files, 80 MB");
    expect(updateSummary({ ...UPDATE, alreadyCurrent: true, files: [] })).toBe("You already have the teacher's newest version.");
  });
});

describe("A shared project file", () => {
  it("is unpacked, made current and started when double-clicked", async () => {
    handlers.pending = () => ({ open: "/home/ada/Downloads/Course.darwinix.zip", browser_failed: null });
    handlers.open_shared = () => ({ project: { ...COURSE, name: "Course", dir: "/home/ada/Darwinix/Course" }, notebook: "intro.ipynb" });
    await boot();
    await tick();
    expect(called("open_shared")[0].args.file).toBe("/home/ada/Downloads/Course.darwinix.zip");
    expect(called("open_path").length).toBe(0);
    expect(byId("project-name")!.textContent).toBe("Course");
    expect(called("start_notebook")[0].args).toMatchObject({ dir: "/home/ada/Darwinix/Course", notebook: "intro.ipynb" });
  });
});

describe("Open a shared project file…", () => {
  it("picks the file in the system's dialog, then unpacks and starts it", async () => {
    handlers["plugin:dialog|open"] = () => "C:\\Users\\ada\\Downloads\\Course.darwinix.zip";
    handlers.open_shared = () => ({ project: { ...COURSE, name: "Course", dir: "/home/ada/Darwinix/Course" }, notebook: "intro.ipynb" });
    await boot();
    click(byId("open-link-button"));
    await tick();
    click(byId("open-shared-file"));
    await tick();
    expect(called("plugin:dialog|open")[0].args.options.filters[0].extensions).toEqual(["zip"]);
    expect(called("open_shared")[0].args.file).toBe("C:\\Users\\ada\\Downloads\\Course.darwinix.zip");
    expect(byId("open-link")).toBeNull();
    expect(called("start_notebook")[0].args).toMatchObject({ dir: "/home/ada/Darwinix/Course", notebook: "intro.ipynb" });
  });
});

describe("the engine's sentences", () => {
  it("show a quoted name as code and never read it as HTML", () => {
    const p = document.createElement("p");
    p.append(...withCode("yours is kept; the teacher's is beside it as `<b>a</b> (teacher's version).ipynb`"));
    expect(p.querySelector("code")?.textContent).toBe("<b>a</b> (teacher's version).ipynb");
    expect(p.querySelector("b")).toBeNull();
    expect(p.textContent).toBe("yours is kept; the teacher's is beside it as <b>a</b> (teacher's version).ipynb");
  });
});
