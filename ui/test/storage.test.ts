// Settings → Storage against a mocked IPC: the figures the engine sends, the buttons the user
// clicks, the commands they call, and errors that say what to click.
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { StorageReport } from "../src/bindings/StorageReport";
import type { Cleaned } from "../src/bindings/Cleaned";
import type { PurgeReport } from "../src/bindings/PurgeReport";
import { timing } from "../src/app";
import { boot } from "../src/main";
import { saidOf } from "../src/storage";

const HOME = {
  project: { dir: "/home/ada/Documents/Darwinix", name: "Darwinix", added: [], host: null },
  recent: [],
  recent_notebooks: [],
  default_dir: "/home/ada/Documents/Darwinix",
};

const SETTINGS = {
  installer: "uv", python: null, index_url: null, native_tls: false, extra_args: [],
  on_quit: "stopServers", tray_notice_shown: true, instant_start: true, update_checks: true,
};

const JUPYTER = {
  packages_from: "requirements.txt", not_used: [], picked_file: null, setup_files: ["requirements.txt"], python_wanted: null,
  jupyterlab: "JupyterLab 4.6.6", runtime: null,
  kernel_python: "/home/ada/Documents/Darwinix/.venv/bin/python", kernel_shared: true, ignore_pins: false, lists_jupyterlab: false, shared_jupyterlab: false, gpu: [],
};

const DAY = 86_400;
const now = () => Math.floor(Date.now() / 1000);

function report(): StorageReport {
  const runtime = (name: string, current: boolean, bytes: number) => ({
    name, path: `/home/ada/.local/share/darwinix/runtimes/${name}`, kind: "jupyterlab" as const, current, inUse: false, bytes, problems: [],
  });
  return {
    runtimes: [runtime("jupyterlab-new-1", true, 180_000_000), runtime("jupyterlab-old-1", false, 170_000_000)],
    uvCache: { uv: "/usr/bin/darwinix-uv", path: "/home/ada/.cache/uv", bytes: 1_200_000_000, problems: [] },
    own: { folders: [], bytes: 3_000_000, problems: [] },
    projects: [
      { dir: "/home/ada/thesis", name: "thesis", venv: "/home/ada/thesis/.venv", hasVenv: true, bytes: 300_000_000, lastOpened: now() - 2 * DAY, stale: false, running: false, problems: [] },
      { dir: "/home/ada/old course", name: "old course", venv: "/home/ada/old course/.venv", hasVenv: true, bytes: 280_000_000, lastOpened: now() - 120 * DAY, stale: true, running: false, problems: [] },
      { dir: "/home/ada/live", name: "live", venv: "/home/ada/live/.venv", hasVenv: true, bytes: 5_000_000, lastOpened: now(), stale: false, running: true, problems: [] },
    ],
    staleDays: 90,
  };
}

let calls: { cmd: string; args: any }[];
let handlers: Record<string, (args: any) => unknown>;
const tick = () => new Promise((r) => setTimeout(r, 30));
const section = () => document.querySelector("section.storage") as HTMLElement;

beforeEach(() => {
  document.body.innerHTML = `
    <nav><button data-view="home"></button><button data-view="settings"></button></nav>
    <span id="server-count" hidden></span><main id="view"></main><p id="announcer"></p>`;
  calls = [];
  handlers = {
    home: () => HOME, servers: () => [], hubs: () => [], notebooks: () => [], keep_ready: () => false,
    project_settings: () => ({ backend: { kind: "auto" }, has_flake: false, distros: [], jupyter: JUPYTER }),
    packages_found: () => null,
    pending: () => ({ open: null, browser_failed: null }),
    update_status: () => ({ current_version: "0.1.0", checks: "on", last_checked: null, state: { state: "idle" } }),
    get_settings: () => SETTINGS, "plugin:autostart|is_enabled": () => false,
    storage: () => report(),
  };
  timing.warmUpDelayMs = 0;
  mockIPC((cmd, args) => {
    calls.push({ cmd, args });
    const handler = handlers[cmd];
    if (!handler) throw new Error(`unexpected command ${cmd}`);
    return handler(args);
  }, { shouldMockEvents: true });
});

afterEach(() => clearMocks());

async function openStorage() {
  const app = await boot();
  app.show("settings");
  await tick();
  return app;
}

describe("Settings → Storage", () => {
  it("shows the figures, marks stale projects, and frees the uv cache", async () => {
    let pruned = false;
    handlers.free_uv_cache = (): Cleaned => {
      pruned = true;
      return { removed: [{ what: "unused entries of uv's cache", path: "/home/ada/.cache/uv", bytes: 400 * 1024 * 1024 }], problems: [] };
    };
    await openStorage();
    const text = section().textContent!;
    expect(text).toContain("1.1 GB");
    expect(text).toContain("162 MB in 1 unused earlier version");
    expect(text).toContain("thesis");
    const stale = [...section().querySelectorAll(".storage-project")].find((li) => li.textContent!.includes("old course"))!;
    expect(stale.textContent).toContain("Not opened for 90 days");
    expect(stale.textContent).toContain("120 days ago");
    const live = [...section().querySelectorAll(".storage-project")].find((li) => li.textContent!.includes("live"))!;
    expect(live.querySelector("button")).toBeNull();
    expect(live.textContent).toContain("Stop it in Running servers");
    (document.getElementById("free-uv-cache") as HTMLButtonElement).click();
    await tick();
    expect(pruned).toBe(true);
    expect(section().textContent).toContain("Freed 400 MB.");
    expect(calls.filter((c) => c.cmd === "storage")).toHaveLength(2);
  });

  it("asks before removing a .venv, says the notebooks are kept, and removes only that one", async () => {
    const removed: string[] = [];
    handlers.remove_venv = (args): Cleaned => {
      removed.push(args.dir);
      return { removed: [{ what: "the .venv of old course", path: "/home/ada/old course/.venv", bytes: 280_000_000 }], problems: [] };
    };
    await openStorage();
    (section().querySelector('[data-dir="/home/ada/old course"]') as HTMLButtonElement).click();
    await tick();
    expect(removed).toEqual([]);
    const dialog = section().querySelector("[role=alertdialog]")!;
    expect(dialog.textContent).toContain("Your notebooks and other files are kept");
    expect(dialog.textContent).toContain("makes it again");
    (document.getElementById("confirm-remove-venv") as HTMLButtonElement).click();
    await tick();
    expect(removed).toEqual(["/home/ada/old course"]);
    expect(section().textContent).toContain("Freed 267 MB.");
  });

  it("shows a refusal with what to click", async () => {
    handlers.remove_unused_runtimes = () => {
      throw { message: "could not remove `/x/runtimes/jupyterlab-old-1`", hint: "close the programs that use files in it and try again", details: "x" };
    };
    await openStorage();
    (document.getElementById("remove-runtimes") as HTMLButtonElement).click();
    await tick();
    const alert = section().querySelector("[role=alert]")!;
    expect(alert.textContent).toContain("The unused runtimes were not removed");
    expect(alert.textContent).toContain("close the programs");
  });

  it("removes Darwinix's data only after showing what goes and what stays, then offers Quit", async () => {
    const purge = (done: boolean): PurgeReport => ({
      done,
      servers: 1,
      removed: [
        { what: "Darwinix's folder", path: "/home/ada/.local/share/darwinix", bytes: 350_000_000 },
        { what: "the token for https://hub.example.org/ in the system's keyring", path: null, bytes: 0 },
      ],
      problems: [],
      left: { projects: report().projects, venvsBytes: 585_000_000, uvCache: report().uvCache, remoteHosts: ["ada@gpu-box"] },
    });
    let removed = 0;
    let quit = 0;
    handlers.purge_preview = () => purge(false);
    handlers.purge_data = () => {
      removed++;
      return purge(true);
    };
    handlers.quit_app = () => {
      quit++;
    };
    await openStorage();
    (document.getElementById("purge-data") as HTMLButtonElement).click();
    await tick();
    expect(removed).toBe(0);
    const dialog = section().querySelector("[role=alertdialog]")!;
    expect(dialog.textContent).toContain("Stop 1 running server and remove (334 MB in all)");
    expect(dialog.textContent).toContain("/home/ada/.local/share/darwinix");
    expect(dialog.textContent).toContain("Left in place: your 3 projects with their .venv (558 MB in all");
    expect(dialog.textContent).toContain("ada@gpu-box");
    expect(dialog.textContent).not.toMatch(/`|sudo|uv cache (clean|prune)|ssh /);
    (dialog.querySelector("button.secondary") as HTMLButtonElement).click();
    await tick();
    expect(section().querySelector("[role=alertdialog]")).toBeNull();
    expect(removed).toBe(0);

    (document.getElementById("purge-data") as HTMLButtonElement).click();
    await tick();
    (document.getElementById("confirm-purge") as HTMLButtonElement).click();
    await tick();
    expect(removed).toBe(1);
    const done = document.getElementById("purged")!;
    expect(done.textContent).toContain("Darwinix's data is removed: 334 MB freed.");
    expect(done.textContent).toContain("Settings → Apps on Windows");
    expect(calls.filter((c) => c.cmd === "storage")).toHaveLength(1);
    (document.getElementById("quit-app") as HTMLButtonElement).click();
    await tick();
    expect(quit).toBe(1);
  });

  it("turns a clean-up's problems into an error with its fix", () => {
    const s = saidOf({ removed: [], problems: [{ message: "uv could not prune its cache: busy", hint: "try again" }] }, "Not pruned");
    expect("error" in s && s.error.hint).toBe("try again");
    expect(saidOf({ removed: [], problems: [] }, "x")).toEqual({ text: "Nothing to remove." });
  });
});
