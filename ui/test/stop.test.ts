// The question before a stop while a notebook still runs a cell, against a mocked IPC: asked by
// the cards' Stop and Restart, and for the stops the app begins itself (the tray's Stop all, its
// Quit), which it hands to the window with `stop-asked` and `pending_stop`.
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { emit } from "@tauri-apps/api/event";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Home } from "../src/bindings/Home";
import type { RunningCells } from "../src/bindings/RunningCells";
import type { Status } from "../src/bindings/Status";
import type { StopAsked } from "../src/bindings/StopAsked";
import { timing } from "../src/app";
import { boot } from "../src/main";

const HOME: Home = {
  project: { dir: "/home/ada/thesis", name: "thesis", added: [], host: null },
  recent: [],
  recent_notebooks: [],
  default_dir: "/home/ada/Documents/Darwinix",
};

const SERVER: Status = {
  id: "thesis-abc",
  name: "thesis",
  dir: HOME.project.dir,
  url: "http://127.0.0.1:41234/lab",
  pid: 4242,
  port: 41234,
  uptime_secs: 125,
  memory_bytes: 88 * 1024 * 1024,
  state: "running",
  spare: false,
  host: null,
};

const JUPYTER = {
  packages_from: "requirements.txt", not_used: [], picked_file: null, setup_files: ["requirements.txt"], python_wanted: null,
  jupyterlab: "JupyterLab 4.6.6", runtime: null,
  kernel_python: "/home/ada/thesis/.venv/bin/python", kernel_shared: true, ignore_pins: false, lists_jupyterlab: false, shared_jupyterlab: false, gpu: [],
};

const BUSY: RunningCells = { notebooks: ["analysis.ipynb"], said: "analysis.ipynb is still running a cell." };
const IDLE: RunningCells = { notebooks: [], said: "" };

type Call = { cmd: string; args: Record<string, unknown> };
let calls: Call[];
let handlers: Record<string, (args: any) => unknown>;
const tick = () => new Promise((r) => setTimeout(r, 30));
const called = (cmd: string) => calls.filter((c) => c.cmd === cmd);
const question = () => document.querySelector(".stop-question");
const click = (el: Element | null) => {
  expect(el, "element to click").not.toBeNull();
  (el as HTMLElement).click();
};

beforeEach(() => {
  document.body.innerHTML = `
    <nav><button data-view="home"></button><button data-view="servers"></button></nav>
    <span id="server-count" hidden></span><main id="view"></main><p id="announcer"></p>`;
  calls = [];
  handlers = {
    home: () => HOME,
    servers: () => [SERVER],
    hubs: () => [],
    project_settings: () => ({ backend: { kind: "auto" }, has_flake: false, distros: [], jupyter: JUPYTER }),
    packages_found: () => null,
    keep_ready: () => false,
    notebooks: () => [],
    pending: () => ({ open: null, browser_failed: null }),
    pending_stop: () => null,
    running_cells: () => BUSY,
    stop_server: () => null,
    stop_anyway: () => null,
  };
  timing.warmUpDelayMs = 0;
  mockIPC(
    (cmd, args) => {
      calls.push({ cmd, args: args as Record<string, unknown> });
      const handler = handlers[cmd];
      if (!handler) throw new Error(`unexpected command ${cmd}`);
      return handler(args);
    },
    { shouldMockEvents: true },
  );
});

afterEach(() => {
  clearMocks();
  question()?.remove();
});

async function openServers() {
  const app = await boot();
  click(document.querySelector('[data-view="servers"]'));
  await tick();
  return app;
}

const cardButton = (action: string) => document.querySelector(`.server-card [data-action="${action}"]`);

describe("Stop while a cell runs", () => {
  it("asks with the notebook's name, and Stop anyway stops", async () => {
    await openServers();
    click(cardButton("stop"));
    await tick();
    expect(called("running_cells").map((c) => c.args.dir)).toEqual([SERVER.dir]);
    expect(question()?.textContent).toContain("analysis.ipynb is still running a cell. Stop anyway?");
    expect(called("stop_server")).toHaveLength(0);
    click(document.getElementById("stop-anyway"));
    await tick();
    expect(called("stop_server").map((c) => c.args.dir)).toEqual([SERVER.dir]);
    expect(question()).toBeNull();
  });

  it("Cancel leaves it running", async () => {
    await openServers();
    click(cardButton("stop"));
    await tick();
    expect(document.activeElement?.id).toBe("stop-cancel");
    click(document.getElementById("stop-cancel"));
    await tick();
    expect(question()).toBeNull();
    expect(called("stop_server")).toHaveLength(0);
    expect((cardButton("stop") as HTMLButtonElement).disabled).toBe(false);
  });

  it("stops at once when no cell runs, or when the app cannot say", async () => {
    handlers.running_cells = () => IDLE;
    await openServers();
    click(cardButton("stop"));
    await tick();
    expect(question()).toBeNull();
    expect(called("stop_server")).toHaveLength(1);
    handlers.running_cells = () => {
      throw new Error("no answer");
    };
    click(cardButton("stop"));
    await tick();
    expect(question()).toBeNull();
    expect(called("stop_server")).toHaveLength(2);
  });

  it("asks before a Restart too, which Cancel leaves alone", async () => {
    handlers.restart_server = () => {
      throw new Error("not restarted after Cancel");
    };
    await openServers();
    click(cardButton("restart"));
    await tick();
    expect(question()?.textContent).toContain("Restart anyway?");
    click(document.getElementById("stop-cancel"));
    await tick();
    expect(called("restart_server")).toHaveLength(0);
  });
});

describe("A stop the app began (tray, Quit, an update)", () => {
  const ALL: StopAsked = {
    what: { kind: "all" },
    running: { notebooks: ["analysis.ipynb in thesis", "b.ipynb in notes"], said: "analysis.ipynb in thesis and b.ipynb in notes are still running cells." },
  };

  it("takes the question when told, and Stop anyway does that stop", async () => {
    await openServers();
    let waiting: StopAsked | null = ALL;
    handlers.pending_stop = () => {
      const taken = waiting;
      waiting = null;
      return taken;
    };
    await emit("stop-asked");
    await tick();
    expect(question()?.textContent).toContain("b.ipynb in notes are still running cells. Stop anyway?");
    click(document.getElementById("stop-anyway"));
    await tick();
    expect(called("stop_anyway").map((c) => c.args.what)).toEqual([{ kind: "all" }]);
  });

  it("asks as soon as a window built for the question loads; Cancel stops nothing", async () => {
    handlers.pending_stop = () => ({ what: { kind: "quit" }, running: BUSY });
    await boot();
    await tick();
    expect(question()?.textContent).toContain("analysis.ipynb is still running a cell. Quit anyway?");
    click(document.getElementById("stop-cancel"));
    await tick();
    expect(question()).toBeNull();
    expect(called("stop_anyway")).toHaveLength(0);
  });

  it("says when Stop anyway failed", async () => {
    handlers.pending_stop = () => ({ what: { kind: "all" }, running: BUSY });
    handlers.stop_anyway = () => {
      throw { message: "could not reach lab over SSH", hint: null, details: "x", action: null };
    };
    await openServers();
    click(document.getElementById("stop-anyway"));
    await tick();
    expect(document.getElementById("view")!.textContent).toContain("could not reach lab over SSH");
  });
});
