// The update notice and Settings → Updates against a mocked IPC: the statuses the app sends,
// the buttons the user clicks, the commands they call.
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { emit } from "@tauri-apps/api/event";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { UpdateStatus } from "../src/bindings/UpdateStatus";
import type { UpdateState } from "../src/bindings/UpdateState";
import { timing } from "../src/app";
import { boot } from "../src/main";
import { statusLine } from "../src/views/updates";

const HOME = {
  project: { dir: "/home/ada/Documents/Darwinix", name: "Darwinix", added: [], host: null },
  recent: [],
  recent_notebooks: [],
  default_dir: "/home/ada/Documents/Darwinix",
};

const JUPYTER = {
  packages_from: "requirements.txt", not_used: [], picked_file: null, setup_files: ["requirements.txt"], python_wanted: null,
  jupyterlab: "JupyterLab 4.6.6", runtime: null,
  kernel_python: "/home/ada/Documents/Darwinix/.venv/bin/python", kernel_shared: true, ignore_pins: false, lists_jupyterlab: false, shared_jupyterlab: false, gpu: [],
};

const SETTINGS = {
  installer: "uv", python: null, index_url: null, native_tls: false, extra_args: [],
  on_quit: "stopServers", tray_notice_shown: true, instant_start: true, update_checks: true,
};

const AVAILABLE: UpdateState = {
  state: "available",
  data: { version: "0.2.0", notes: "Faster starts.\nA bug fixed.", download_only: null, release_page: "https://github.com/darwinix/darwinix/releases/tag/v0.2.0" },
};

function status(state: UpdateState, over: Partial<UpdateStatus> = {}): UpdateStatus {
  return { current_version: "0.1.0", checks: "on", last_checked: Date.UTC(2026, 10, 30, 9), state, ...over };
}

let calls: { cmd: string; args: any }[];
let handlers: Record<string, (args: any) => unknown>;
const tick = () => new Promise((r) => setTimeout(r, 30));
const notice = () => document.getElementById("update-notice")!;
const button = (id: string) => {
  const el = document.getElementById(id);
  expect(el, `#${id}`).not.toBeNull();
  return el as HTMLButtonElement;
};

beforeEach(() => {
  document.body.innerHTML = `
    <nav><button data-view="home"></button><button data-view="settings"></button></nav>
    <span id="server-count" hidden></span><div id="update-notice"></div><main id="view"></main><p id="announcer"></p>`;
  calls = [];
  handlers = {
    home: () => HOME,
    servers: () => [],
    hubs: () => [],
    project_settings: () => ({ backend: { kind: "auto" }, has_flake: false, distros: [], jupyter: JUPYTER }),
    keep_ready: () => false,
    notebooks: () => [],
    pending: () => ({ open: null, browser_failed: null }),
    update_status: () => status({ state: "idle" }),
    get_settings: () => SETTINGS,
    "plugin:autostart|is_enabled": () => false,
  };
  timing.warmUpDelayMs = 0;
  mockIPC(
    (cmd, args) => {
      calls.push({ cmd, args });
      const handler = handlers[cmd];
      if (!handler) throw new Error(`unexpected command ${cmd}`);
      return handler(args);
    },
    { shouldMockEvents: true },
  );
});

afterEach(() => clearMocks());

describe("the update notice", () => {
  it("appears when the background check finds an update, and Later hides it", async () => {
    await boot();
    expect(notice().textContent).toBe("");
    await emit("update-changed", status(AVAILABLE));
    await tick();
    expect(notice().textContent).toContain("Darwinix 0.2.0 is available");
    expect(notice().textContent).toContain("you have 0.1.0");
    expect(notice().textContent).toContain("Faster starts.");
    click("update-later");
    expect(notice().textContent).toBe("");
  });

  it("installs at once when no notebook runs", async () => {
    handlers.update_status = () => status(AVAILABLE);
    handlers.install_update = () => new Promise(() => {}); // the app restarts
    await boot();
    click("update-install");
    await tick();
    expect(calls.find((c) => c.cmd === "install_update")?.args).toEqual({ servers: "stop" });
  });

  it("asks whether running notebooks keep running first", async () => {
    handlers.update_status = () => status(AVAILABLE);
    handlers.servers = () => [{ id: "a", name: "thesis", dir: "/t", url: "u", pid: 1, port: 2, uptime_secs: 1, memory_bytes: 1, state: "running", spare: false, host: null }];
    handlers.install_update = () => {
      throw { message: "The update's signature does not match Darwinix's signing key, so it was refused and not installed.", hint: "Nothing was changed.", details: "minisign", action: null };
    };
    await boot();
    click("update-install");
    expect(notice().textContent).toContain("A notebook is running. Keep it running");
    expect(calls.some((c) => c.cmd === "install_update")).toBe(false);
    click("update-keep");
    await tick();
    expect(calls.find((c) => c.cmd === "install_update")?.args).toEqual({ servers: "keep" });
    expect(notice().querySelector("[role=alert]")!.textContent).toContain("signature does not match");
    expect(notice().textContent).toContain("Nothing was changed.");
  });

  it("offers the download page where the app cannot install", async () => {
    const why = "This Darwinix was not installed from the .deb package, so it cannot replace itself.";
    handlers.update_status = () => status({ ...AVAILABLE, data: { ...AVAILABLE.data, download_only: why } } as UpdateState);
    handlers.open_release_page = () => null;
    await boot();
    expect(document.getElementById("update-install")).toBeNull();
    expect(notice().textContent).toContain(why);
    click("update-download");
    await tick();
    expect(calls.some((c) => c.cmd === "open_release_page")).toBe(true);
  });

  it("shows a refused downgrade, but not a check that could not connect", async () => {
    await boot();
    const refused = { refused: true, message: "The update server offers Darwinix 0.0.9, older than this one (0.1.0), so it was refused.", hint: "Nothing was changed: this Darwinix keeps working as before.", details: "downgrade" };
    await emit("update-changed", status({ state: "problem", data: refused }));
    await tick();
    expect(notice().textContent).toContain("older than this one");
    expect(notice().textContent).toContain("Nothing was changed");
    await emit("update-changed", status({ state: "problem", data: { ...refused, refused: false, message: "Could not reach Darwinix's update server." } }));
    await tick();
    expect(notice().textContent).toBe("");
  });
});

describe("Settings → Updates", () => {
  it("saves the switch and checks now", async () => {
    let saved: any = null;
    handlers.save_settings = (args) => (saved = args.settings);
    handlers.check_update = () => status({ state: "upToDate" });
    await boot();
    click(document.querySelector('[data-view="settings"]') as HTMLElement);
    await tick();
    expect(document.getElementById("update-status")!.textContent).toContain("Darwinix 0.1.0 · last checked");
    click("check-now");
    await tick();
    expect(document.getElementById("update-status")!.textContent).toContain("up to date");
    (document.getElementById("update_checks") as HTMLInputElement).checked = false;
    const form = document.querySelector("form.settings-form") as HTMLFormElement;
    form.dispatchEvent(new Event("submit", { cancelable: true }));
    await tick();
    expect(saved.update_checks).toBe(false);
  });

  it("says when the environment turned checks off", async () => {
    handlers.update_status = () => status({ state: "idle" }, { checks: "offByEnvironment", last_checked: null });
    await boot();
    click(document.querySelector('[data-view="settings"]') as HTMLElement);
    await tick();
    expect(document.getElementById("update_checks-help")!.textContent).toContain("DARWINIX_NO_UPDATE_CHECK");
    expect(button("check-now").disabled).toBe(true);
  });

  it("words the status line", () => {
    expect(statusLine(status({ state: "idle" }, { last_checked: null }))).toBe("Darwinix 0.1.0 · not checked yet");
    expect(statusLine(status(AVAILABLE))).toMatch(/^Darwinix 0\.1\.0 · last checked .+ · 0\.2\.0 is available$/);
  });
});

function click(target: string | HTMLElement): void {
  (typeof target === "string" ? button(target) : target).click();
}
