// The window's logic against a mocked IPC: the same messages the Rust side sends, the same
// DOM the user sees.
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Home } from "../src/bindings/Home";
import type { SetupEvent } from "../src/bindings/SetupEvent";
import type { Status } from "../src/bindings/Status";
import { boot } from "../src/main";
import { remoteAddress } from "../src/views/remote";
import { timing } from "../src/app";
import { emit } from "@tauri-apps/api/event";

const HOME: Home = {
  project: { dir: "/home/ada/Documents/Darwinix", name: "Darwinix", added: [], host: null },
  recent: [{ dir: "/home/ada/thesis", name: "thesis", added: [], host: null }],
  recent_notebooks: [],
  default_dir: "/home/ada/Documents/Darwinix",
};

const SERVER: Status = {
  id: "darwinix-abc",
  name: "Darwinix",
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
  packages_from: "requirements.txt",
  not_used: [] as unknown[],
  picked_file: null,
  setup_files: ["requirements.txt"],
  python_wanted: null as string | null,
  jupyterlab: "JupyterLab 4.6.6, shared by your projects",
  runtime: "/home/ada/.local/share/darwinix/runtimes/jupyterlab-x",
  kernel_python: "/home/ada/Documents/Darwinix/.venv/bin/python",
  kernel_shared: true,
  ignore_pins: false,
  lists_jupyterlab: false,
  shared_jupyterlab: false,
  gpu: [] as unknown[],
};

/** A project's settings as the engine sends them. */
function settings(over: Record<string, unknown> = {}) {
  return { backend: { kind: "auto" }, has_flake: false, distros: [], jupyter: JUPYTER, ...over };
}

type Call = { cmd: string; args: Record<string, unknown> };
let calls: Call[];
let handlers: Record<string, (args: any) => unknown>;

function send(channel: { id: number }, events: SetupEvent[]) {
  events.forEach((message, index) =>
    (window as any).__TAURI_INTERNALS__.runCallback(channel.id, { index, message }),
  );
}

const tick = () => new Promise((r) => setTimeout(r, 30));
const text = () => document.getElementById("view")!.textContent ?? "";
const click = (el: Element | null) => {
  expect(el, "element to click").not.toBeNull();
  (el as HTMLElement).click();
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
    project_settings: () => settings(),
    packages_found: () => null,
    keep_ready: () => false,
    notebooks: () => [],
    pending: () => ({ open: null, browser_failed: null }),
    storage: () => new Promise(() => {}),
    trusted_folders: () => [],
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

afterEach(() => clearMocks());

describe("Home", () => {
  it("shows the current project and starts it with live steps", async () => {
    handlers.start_notebook = async (args) => {
      expect(args.dir).toBe(HOME.project.dir);
      send(args.onEvent, [
        { event: "step", data: { step: "checkingComputer", detail: "Python 3.11.7" } },
        { event: "step", data: { step: "installing", detail: "Installing" } },
        { event: "progress", data: { step: "installing", done: 3, total: 10, item: "pandas" } },
      ]);
      await tick();
      expect(text()).toContain("3 of 10");
      expect(document.querySelector("progress")?.getAttribute("max")).toBe("10");
      send(args.onEvent, []);
      // The app's watcher sees the new server while the command runs.
      await emit("servers-changed", [SERVER]);
      return { dir: SERVER.dir, url: SERVER.url, port: SERVER.port, pid: SERVER.pid, started_at: 0, log: "/l", reused: false, notebook_url: null };
    };
    const app = await boot();
    expect(document.getElementById("project-name")!.textContent).toBe("Darwinix");
    expect(document.getElementById("project-dir")!.textContent).toBe(HOME.project.dir);
    click(document.getElementById("start"));
    await tick();
    await tick();
    expect(app.busy).toBe(false);
    const states = [...document.querySelectorAll(".step")].map((s) => s.getAttribute("data-state"));
    expect(states.slice(0, 3)).toEqual(["done", "done", "done"]);
    expect(document.getElementById("start")!.textContent).toBe("Open Notebook");
    expect(document.getElementById("running-line")!.textContent).toContain("127.0.0.1:41234");
    expect(document.getElementById("server-count")!.hidden).toBe(false);
  });

  it("shows an engine error with its fix and copies the details", async () => {
    handlers.start_notebook = () => {
      throw { message: "could not install `nosuchpkg`", hint: "check the name in requirements.txt", details: "could not install\ncaused by: 404" };
    };
    handlers["plugin:clipboard-manager|write_text"] = () => null;
    await boot();
    click(document.getElementById("start"));
    await tick();
    const alert = document.querySelector("[role=alert]")!;
    expect(alert.textContent).toContain("could not install `nosuchpkg`");
    expect(alert.textContent).toContain("check the name in requirements.txt");
    click([...alert.querySelectorAll("button")].find((b) => b.textContent === "Copy details")!);
    await tick();
    const copy = calls.find((c) => c.cmd === "plugin:clipboard-manager|write_text");
    expect(copy?.args.text).toBe("could not install\ncaused by: 404");
    expect(document.getElementById("start")!.hasAttribute("disabled")).toBe(false);
  });

  it("switches to a recent project", async () => {
    handlers.open_project = (args) => ({ dir: args.dir, name: "thesis", added: ["requirements.txt"] });
    await boot();
    const select = document.getElementById("recent") as HTMLSelectElement;
    select.value = "/home/ada/thesis";
    select.dispatchEvent(new Event("change"));
    await tick();
    expect(document.getElementById("project-name")!.textContent).toBe("thesis");
    expect(text()).toContain("Added requirements.txt");
  });
});

describe("Notebooks", () => {
  const NOW = Math.floor(Date.now() / 1000);
  const started = (args: any) => ({
    dir: args.dir, url: SERVER.url, port: SERVER.port, pid: 1, started_at: 0, log: "/l", reused: false,
    notebook_url: args.notebook ? `http://127.0.0.1:41234/lab/tree/${args.notebook}` : null,
  });

  it("lists the project's notebooks, newest first, a dozen until Show all, and opens one", async () => {
    handlers.notebooks = () =>
      Array.from({ length: 15 }, (_, i) => ({ path: `week ${i}/n${i}.ipynb`, name: `n${i}`, modified: NOW - i * 3600 }));
    handlers.start_notebook = started;
    await boot();
    await tick();
    const items = () => [...document.querySelectorAll("#notebooks [data-notebook]")];
    expect(items().length).toBe(12);
    expect(items()[0].textContent).toContain("n0");
    expect(text()).toContain("1 h ago");
    click(document.getElementById("show-all-notebooks"));
    expect(items().length).toBe(15);
    click(items()[3]);
    await tick();
    const call = calls.find((c) => c.cmd === "start_notebook")!;
    expect(call.args.notebook).toBe("week 3/n3.ipynb");
    expect(call.args.dir).toBe(HOME.project.dir);
  });

  it("opens a recent notebook of another project through its path", async () => {
    handlers.home = () => ({
      ...HOME,
      recent_notebooks: [{ file: "/home/ada/thesis/ch 1/ü.ipynb", name: "ü", project: "thesis" }],
    });
    handlers.open_path = (args) => {
      expect(args.path).toBe("/home/ada/thesis/ch 1/ü.ipynb");
      return { project: { dir: "/home/ada/thesis", name: "thesis", added: [] }, notebook: "ch 1/ü.ipynb" };
    };
    handlers.start_notebook = started;
    await boot();
    const recent = document.querySelector("#recent-notebooks button")!;
    expect(recent.textContent).toContain("in thesis");
    click(recent);
    await tick();
    expect(document.getElementById("project-name")!.textContent).toBe("thesis");
    const call = calls.find((c) => c.cmd === "start_notebook")!;
    expect(call.args).toMatchObject({ dir: "/home/ada/thesis", notebook: "ch 1/ü.ipynb" });
  });

  it("starts a notebook handed over by the app (double-click, second launch) with the step list", async () => {
    let pending: { open: string | null; browser_failed: null } = { open: "/home/ada/thesis/a.ipynb", browser_failed: null };
    handlers.pending = () => {
      const now = pending;
      pending = { open: null, browser_failed: null };
      return now;
    };
    handlers.open_path = () => ({ project: { dir: "/home/ada/thesis", name: "thesis", added: [] }, notebook: "a.ipynb" });
    handlers.start_notebook = (args) => {
      send(args.onEvent, [{ event: "step", data: { step: "openingBrowser", detail: "Opening a.ipynb in your browser" } }]);
      return started(args);
    };
    await boot();
    await tick();
    expect(calls.filter((c) => c.cmd === "start_notebook").length).toBe(1);
    expect(document.querySelectorAll(".step").length).toBe(5);
    // Another one arrives while the window is open.
    pending = { open: "/home/ada/thesis/b.ipynb", browser_failed: null };
    handlers.open_path = () => ({ project: { dir: "/home/ada/thesis", name: "thesis", added: [] }, notebook: "b.ipynb" });
    await emit("pending");
    await tick();
    await tick();
    const starts = calls.filter((c) => c.cmd === "start_notebook");
    expect(starts.length).toBe(2);
    expect(starts[1].args.notebook).toBe("b.ipynb");
  });

  it("opens a notebook handed over during a start once that start is done", async () => {
    let finish: () => void = () => {};
    handlers.start_notebook = (args) =>
      args.notebook ? started(args) : new Promise((ok) => (finish = () => ok(started(args))));
    handlers.open_path = () => ({ project: { dir: HOME.project.dir, name: "Darwinix", added: [] }, notebook: "late.ipynb" });
    const app = await boot();
    click(document.getElementById("start"));
    await tick();
    expect(app.busy).toBe(true);
    handlers.pending = () => ({ open: "/home/ada/Documents/Darwinix/late.ipynb", browser_failed: null });
    await emit("pending");
    await tick();
    expect(calls.filter((c) => c.cmd === "start_notebook").length).toBe(1);
    finish();
    await tick();
    await tick();
    const starts = calls.filter((c) => c.cmd === "start_notebook");
    expect(starts.length).toBe(2);
    expect(starts[1].args.notebook).toBe("late.ipynb");
  });

  it("shows the address with Open in browser and Copy link when no browser could be opened", async () => {
    const failed = {
      dir: HOME.project.dir, notebook: "a b.ipynb", address: "http://127.0.0.1:41234/lab/tree/a%20b.ipynb",
      why: "`xdg-open` exited with 3: no method available",
    };
    handlers.pending = () => ({ open: null, browser_failed: failed });
    handlers.server_link = () => "http://127.0.0.1:41234/lab?token=sekrit";
    handlers["plugin:clipboard-manager|write_text"] = () => null;
    handlers.open_server = () => null;
    await boot();
    await tick();
    const panel = document.getElementById("browser-failed")!;
    expect(panel.textContent).toContain(failed.address);
    expect(panel.textContent).not.toMatch(/darwinix |--print-url/);
    click([...panel.querySelectorAll("button")].find((b) => b.textContent === "Copy link")!);
    await tick();
    const copy = calls.find((c) => c.cmd === "plugin:clipboard-manager|write_text");
    expect(copy?.args.text).toBe("http://127.0.0.1:41234/lab/tree/a%20b.ipynb?token=sekrit");
    click([...panel.querySelectorAll("button")].find((b) => b.textContent === "Open in browser")!);
    await tick();
    expect(calls.find((c) => c.cmd === "open_server")?.args).toEqual({ dir: HOME.project.dir, notebook: "a b.ipynb" });
    expect(document.getElementById("browser-failed")).toBeNull();
  });
});

describe("Project settings", () => {
  it("chooses where the project runs, WSL distros included", async () => {
    handlers.project_settings = () => settings({ has_flake: true, distros: ["Ubuntu"] });
    handlers.set_backend = (args) => settings({ backend: args.backend, has_flake: true, distros: ["Ubuntu"] });
    await boot();
    await tick();
    const select = document.getElementById("backend") as HTMLSelectElement;
    expect([...select.options].map((o) => o.textContent)).toEqual([
      "Automatic — the Nix flake when Nix is installed",
      "This computer",
      "Nix flake (nix develop)",
      "WSL distro: Ubuntu",
    ]);
    expect(select.value).toBe("auto");
    select.value = "wsl:Ubuntu";
    select.dispatchEvent(new Event("change"));
    await tick();
    const call = calls.find((c) => c.cmd === "set_backend")!;
    expect(call.args).toEqual({ dir: HOME.project.dir, backend: { kind: "wsl", distro: "Ubuntu" } });
    expect((document.getElementById("backend") as HTMLSelectElement).value).toBe("wsl:Ubuntu");
    expect(text()).toContain("The next start prepares the project there");
  });

  it("offers Nix only for a folder with a flake, and makes the project GPU-ready", async () => {
    handlers.make_gpu_ready = (args) => {
      expect(args.dir).toBe(HOME.project.dir);
      return { wheels: "CPU wheels", added: ["--extra-index-url https://download.pytorch.org/whl/cpu", "torch"], replaced: null };
    };
    await boot();
    await tick();
    const nix = [...(document.getElementById("backend") as HTMLSelectElement).options].find((o) => o.value === "nix")!;
    expect(nix.disabled).toBe(true);
    click(document.getElementById("gpu-ready"));
    await tick();
    expect(text()).toContain("Start Notebook installs it");
    expect(text()).toContain("CPU wheels");
  });

  it("says when the settings cannot be read, instead of loading forever", async () => {
    handlers.project_settings = () => {
      throw { message: "`projects/x.json` is damaged", hint: "fix or delete it", details: "x" };
    };
    await boot();
    await tick();
    expect(text()).toContain("The project settings could not be read");
    expect(text()).toContain("fix or delete it");
    expect(text()).not.toContain("Loading…");
  });

  it("shows the engine's refusal", async () => {
    handlers.project_settings = () => settings({ distros: ["Ubuntu"] });
    handlers.set_backend = () => {
      throw { message: "the WSL distro Ubuntu cannot run the project", hint: "check wsl.exe -l -v", details: "x" };
    };
    await boot();
    await tick();
    const select = document.getElementById("backend") as HTMLSelectElement;
    select.value = "wsl:Ubuntu";
    select.dispatchEvent(new Event("change"));
    await tick();
    expect(text()).toContain("The project settings were not changed");
    expect(text()).toContain("check wsl.exe -l -v");
  });
});

describe("Folders from elsewhere", () => {
  it("shows what the notebooks import before installing, and installs the list as edited", async () => {
    handlers.packages_found = () => ({ packages: ["numpy", "scikit-learn"], warnings: ["Skipped broken.ipynb: it is not a readable notebook"], files: 3 });
    // Once the list is written, the folder has one.
    handlers.write_requirements = () => {
      handlers.packages_found = () => null;
      return null;
    };
    handlers.start_notebook = () => {
      return { dir: SERVER.dir, url: SERVER.url, port: SERVER.port, pid: SERVER.pid, started_at: 0, log: "/l", reused: false, notebook_url: null };
    };
    await boot();
    click(document.getElementById("start"));
    await tick();
    expect(text()).toContain("Found in your notebooks");
    expect(text()).toContain("Skipped broken.ipynb");
    expect(calls.some((c) => c.cmd === "start_notebook")).toBe(false);
    const list = document.getElementById("found-packages") as HTMLTextAreaElement;
    expect(list.value).toBe("numpy\nscikit-learn");
    list.value = "numpy\nscikit-learn\n\nmatplotlib ";
    list.dispatchEvent(new Event("input"));
    click(document.getElementById("install-found"));
    await tick();
    await tick();
    expect(calls.find((c) => c.cmd === "write_requirements")?.args).toEqual({
      dir: HOME.project.dir,
      packages: ["numpy", "scikit-learn", "matplotlib"],
    });
    expect(calls.some((c) => c.cmd === "start_notebook")).toBe(true);
    expect(document.getElementById("found-packages")).toBeNull();
  });

  it("offers Start with current versions when old pins do not install", async () => {
    let ignoring = false;
    handlers.start_notebook = () => {
      if (!ignoring) {
        throw {
          message: "`/p/requirements.txt` asks for versions that no longer install here: pandas==0.18.1",
          hint: "press Start with current versions",
          details: "x",
          action: "startWithCurrentVersions",
        };
      }
      return { dir: SERVER.dir, url: SERVER.url, port: SERVER.port, pid: SERVER.pid, started_at: 0, log: "/l", reused: false, notebook_url: null };
    };
    handlers.set_ignore_pins = (args) => {
      ignoring = args.ignore;
      return settings({ jupyter: { ...JUPYTER, ignore_pins: args.ignore } });
    };
    await boot();
    click(document.getElementById("start"));
    await tick();
    expect(text()).toContain("pandas==0.18.1");
    click(document.getElementById("current-versions"));
    await tick();
    await tick();
    expect(calls.find((c) => c.cmd === "set_ignore_pins")?.args).toEqual({ dir: HOME.project.dir, ignore: true });
    expect(calls.filter((c) => c.cmd === "start_notebook")).toHaveLength(2);
    expect(document.querySelector("[role=alert]")).toBeNull();
    expect((document.getElementById("ignore-pins") as HTMLInputElement).checked).toBe(true);
  });

  it("offers Darwinix's JupyterLab when the project's own does not come up, with its last lines", async () => {
    let shared = false;
    handlers.start_notebook = () => {
      if (!shared) {
        throw {
          message: "JupyterLab stopped before it was ready; the end of its log:\nImportError: cannot import name 'x'",
          hint: "press Use Darwinix's JupyterLab instead",
          details: "x",
          action: "useSharedJupyterLab",
        };
      }
      return { dir: SERVER.dir, url: SERVER.url, port: SERVER.port, pid: SERVER.pid, started_at: 0, log: "/l", reused: false, notebook_url: null };
    };
    handlers.set_shared_jupyterlab = (args) => {
      shared = args.shared;
      return settings();
    };
    await boot();
    click(document.getElementById("start"));
    await tick();
    expect(text()).toContain("ImportError: cannot import name 'x'");
    click(document.getElementById("shared-jupyterlab"));
    await tick();
    await tick();
    expect(calls.find((c) => c.cmd === "set_shared_jupyterlab")?.args).toEqual({ dir: HOME.project.dir, shared: true });
    expect(calls.filter((c) => c.cmd === "start_notebook")).toHaveLength(2);
    expect(document.querySelector("[role=alert]")).toBeNull();
  });

  it("asks before a big install, with its size on the button", async () => {
    let confirmed = 0;
    handlers.start_notebook = () => {
      if (confirmed < 3758096384) {
        throw {
          message: "the packages of `/p` download 3.5 GB (torch 2.4 GB, …); Darwinix asks before an install this large",
          hint: "press Install (3.5 GB) to download them, or take the large packages out of the project's list of packages",
          details: "x",
          action: { installBig: { bytes: 3758096384, size: "3.5 GB" } },
        };
      }
      return { dir: SERVER.dir, url: SERVER.url, port: SERVER.port, pid: SERVER.pid, started_at: 0, log: "/l", reused: false, notebook_url: null };
    };
    handlers.confirm_big_install = (args) => {
      confirmed = args.bytes;
      return settings();
    };
    await boot();
    click(document.getElementById("start"));
    await tick();
    expect(text()).toContain("torch 2.4 GB");
    const button = document.getElementById("install-big")!;
    expect(button.textContent).toBe("Install (3.5 GB)");
    click(button);
    await tick();
    await tick();
    expect(calls.find((c) => c.cmd === "confirm_big_install")?.args).toEqual({ dir: HOME.project.dir, bytes: 3758096384 });
    expect(calls.filter((c) => c.cmd === "start_notebook")).toHaveLength(2);
    expect(document.querySelector("[role=alert]")).toBeNull();
  });

  it("asks before installing a folder it has no reason to trust, and starts with the answer", async () => {
    let answered: unknown = null;
    handlers.start_notebook = () => {
      if (!answered) {
        throw {
          message: "`/p` was not set up: Darwinix asks before installing it, because it belongs to another account (bob)",
          hint: "check what it installs and from where, then press Trust and start",
          details: "x",
          action: {
            trustFolder: {
              ask: {
                reasons: ["it belongs to another account (bob)"],
                from_file: "requirements.txt",
                installs: [
                  { what: "numpy", from: "PyPI", beyond_index: false },
                  { what: "git+https://github.com/bob/tools", from: "a git repository at github.com", beyond_index: true },
                ],
              },
            },
          },
        };
      }
      return { dir: SERVER.dir, url: SERVER.url, port: SERVER.port, pid: SERVER.pid, started_at: 0, log: "/l", reused: false, notebook_url: null };
    };
    handlers.trust_folder = (args) => {
      answered = args.choice;
      return settings();
    };
    await boot();
    click(document.getElementById("start"));
    await tick();
    const prompt = document.getElementById("trust-prompt")!;
    expect(prompt.textContent).toContain("it belongs to another account (bob)");
    expect(prompt.textContent).toContain("a git repository at github.com");
    expect(prompt.querySelectorAll("tr.beyond")).toHaveLength(1);
    expect(document.querySelector(".steps"), "a question is not a failed start").toBeNull();
    click(document.getElementById("trust-without"));
    await tick();
    await tick();
    expect(calls.find((c) => c.cmd === "trust_folder")?.args).toEqual({ dir: HOME.project.dir, choice: "withoutInstalling" });
    expect(calls.filter((c) => c.cmd === "start_notebook")).toHaveLength(2);
    expect(document.getElementById("trust-prompt")).toBeNull();
  });

  it("Cancel on the trust prompt installs nothing and remembers nothing", async () => {
    handlers.start_notebook = () => {
      throw {
        message: "not set up",
        hint: null,
        details: "x",
        action: { trustFolder: { ask: { reasons: ["other accounts on this computer may change its files"], from_file: null, installs: [] } } },
      };
    };
    await boot();
    click(document.getElementById("start"));
    await tick();
    expect(document.getElementById("trust-prompt")!.textContent).toContain("Python and the kernel alone");
    click(document.getElementById("trust-cancel"));
    await tick();
    expect(document.getElementById("trust-prompt")).toBeNull();
    expect(calls.some((c) => c.cmd === "trust_folder")).toBe(false);
    expect(calls.filter((c) => c.cmd === "start_notebook")).toHaveLength(1);
  });

  it("offers a failed build's ways out, one button each, and starts again after one", async () => {
    let taken: unknown = null;
    handlers.start_notebook = () => {
      if (!taken) {
        throw {
          message: "box2d-py could not be built: it needs SWIG, which this computer does not have",
          hint: "press Use box2d-py 2.3.10 (ready-made for this computer), or Start without box2d-py",
          details: "x",
          action: {
            waysOut: {
              ways: [
                { kind: "useVersion", package: "box2d-py", version: "2.3.10" },
                { kind: "usePython", version: "3.8" },
                { kind: "startWithout", package: "box2d-py" },
              ],
            },
          },
        };
      }
      return { dir: SERVER.dir, url: SERVER.url, port: SERVER.port, pid: SERVER.pid, started_at: 0, log: "/l", reused: false, notebook_url: null };
    };
    handlers.take_way_out = (args) => {
      taken = args.way;
      return settings();
    };
    await boot();
    click(document.getElementById("start"));
    await tick();
    const buttons = [...document.querySelectorAll<HTMLButtonElement>("button.way-out")];
    expect(buttons.map((b) => b.textContent)).toEqual([
      "Use box2d-py 2.3.10",
      "Use Python 3.8 for this project",
      "Start without box2d-py",
    ]);
    expect(buttons[0].classList.contains("primary")).toBe(true);
    click(buttons[2]);
    await tick();
    await tick();
    expect(calls.find((c) => c.cmd === "take_way_out")?.args).toEqual({
      dir: HOME.project.dir,
      way: { kind: "startWithout", package: "box2d-py" },
    });
    expect(calls.filter((c) => c.cmd === "start_notebook")).toHaveLength(2);
    expect(document.querySelector("[role=alert]")).toBeNull();
  });

  it("shows where the packages come from, which JupyterLab and which Python", async () => {
    await boot();
    await tick();
    expect(document.getElementById("fact-packages")!.textContent).toBe("requirements.txt");
    expect(document.getElementById("fact-jupyterlab")!.textContent).toContain("JupyterLab 4.6.6");
    expect(document.getElementById("fact-kernel")!.textContent).toContain("/Darwinix/.venv/bin/python");
  });

  it("says which setup file is used and which are not, and lets the user pick another and a Python", async () => {
    const chosen = {
      ...JUPYTER,
      packages_from: "environment.yml",
      not_used: [
        { file: "pyproject.toml", why: "it holds only tool settings ([tool.…]), no dependencies" },
        { file: "requirements.txt", why: "environment.yml comes first" },
      ],
      setup_files: ["environment.yml", "pyproject.toml", "requirements.txt"],
      python_wanted: "3.9 from environment.yml",
    };
    handlers.project_settings = () => settings({ jupyter: chosen });
    handlers.set_source_file = (args) =>
      settings({ jupyter: { ...chosen, packages_from: args.file, picked_file: args.file, not_used: [] } });
    handlers.set_python_version = (args) =>
      settings({ jupyter: { ...chosen, python_wanted: `${args.version} (your choice)` } });
    await boot();
    await tick();
    expect(document.getElementById("home-source")!.textContent).toBe(
      "Packages from environment.yml · pyproject.toml not used: it holds only tool settings ([tool.…]), no dependencies · requirements.txt not used: environment.yml comes first",
    );
    expect(document.getElementById("fact-python")!.textContent).toBe("3.9 from environment.yml");
    const source = document.getElementById("source-file") as HTMLSelectElement;
    source.value = "requirements.txt";
    source.dispatchEvent(new Event("change"));
    await tick();
    expect(calls.find((c) => c.cmd === "set_source_file")?.args).toEqual({ dir: HOME.project.dir, file: "requirements.txt" });
    expect(document.getElementById("home-source")!.textContent).toBe("Packages from requirements.txt (your choice)");
    expect((document.getElementById("source-file") as HTMLSelectElement).value).toBe("requirements.txt");
    const python = document.getElementById("python-version") as HTMLSelectElement;
    python.value = "3.10";
    python.dispatchEvent(new Event("change"));
    await tick();
    expect(calls.find((c) => c.cmd === "set_python_version")?.args).toEqual({ dir: HOME.project.dir, version: "3.10" });
    expect((document.getElementById("python-version") as HTMLSelectElement).value).toBe("3.10");
    expect(document.getElementById("shared-jupyterlab-setting")).toBeNull();
  });

  it("lets a project that lists its own JupyterLab run in Darwinix's, and go back", async () => {
    handlers.project_settings = () => settings({ jupyter: { ...JUPYTER, lists_jupyterlab: true } });
    handlers.set_shared_jupyterlab = (args) =>
      settings({ jupyter: { ...JUPYTER, lists_jupyterlab: true, shared_jupyterlab: args.shared } });
    await boot();
    await tick();
    const box = document.getElementById("shared-jupyterlab-setting") as HTMLInputElement;
    expect(box.checked).toBe(false);
    box.click();
    await tick();
    expect(calls.find((c) => c.cmd === "set_shared_jupyterlab")?.args).toEqual({ dir: HOME.project.dir, shared: true });
    expect((document.getElementById("shared-jupyterlab-setting") as HTMLInputElement).checked).toBe(true);
  });
});

describe("Instant start", () => {
  it("asks the engine to keep the current project ready, and the new one after a switch", async () => {
    handlers.open_project = (args) => ({ dir: args.dir, name: "thesis", added: [] });
    await boot();
    await tick();
    expect(calls.filter((c) => c.cmd === "keep_ready").map((c) => c.args.dir)).toEqual([HOME.project.dir]);
    const select = document.getElementById("recent") as HTMLSelectElement;
    select.value = "/home/ada/thesis";
    select.dispatchEvent(new Event("change"));
    await tick();
    expect(calls.filter((c) => c.cmd === "keep_ready").map((c) => c.args.dir)).toEqual([HOME.project.dir, "/home/ada/thesis"]);
  });

  it("is best effort: a refusal changes nothing on screen", async () => {
    handlers.keep_ready = () => {
      throw { message: "no", hint: null, details: "no" };
    };
    await boot();
    await tick();
    expect(document.querySelector("[role=alert]")).toBeNull();
    expect(document.getElementById("start")!.textContent).toBe("Start Notebook");
  });
});

describe("New project", () => {
  it("creates the project from the chosen template in the chosen place", async () => {
    handlers.new_project = (args) => ({ dir: args.dir, name: "Thesis 2", added: ["requirements.txt", "Welcome.ipynb"] });
    await boot();
    click([...document.querySelectorAll("button")].find((b) => b.textContent === "New project…")!);
    const dialog = document.querySelector("dialog")!;
    expect(dialog).not.toBeNull();
    (dialog.querySelector("#new-name") as HTMLInputElement).value = "Thesis 2";
    expect((dialog.querySelector("#new-place") as HTMLInputElement).value).toBe("/home/ada/Documents");
    (dialog.querySelector('input[value="minimal"]') as HTMLInputElement).checked = true;
    dialog.querySelector("form")!.dispatchEvent(new Event("submit", { cancelable: true }));
    await tick();
    expect(calls.find((c) => c.cmd === "new_project")?.args).toEqual({ dir: "/home/ada/Documents/Thesis 2", template: "minimal" });
    expect(document.getElementById("project-name")!.textContent).toBe("Thesis 2");
  });

  it("keeps the dialog open with the engine's error", async () => {
    handlers.new_project = () => {
      throw { message: "could not create `/ro/x`: read-only file system", hint: "choose a folder you can write to", details: "d" };
    };
    await boot();
    click([...document.querySelectorAll("button")].find((b) => b.textContent === "New project…")!);
    const dialog = document.querySelector("dialog")!;
    dialog.querySelector("form")!.dispatchEvent(new Event("submit", { cancelable: true }));
    await tick();
    expect(dialog.isConnected).toBe(true);
    expect(dialog.querySelector("[role=alert]")!.textContent).toContain("choose a folder you can write to");
  });
});

describe("Remote folders", () => {
  const ADDRESS = "ssh://ada@lab:2222/home/ada/thesis";
  const REMOTE = { dir: ADDRESS, name: "thesis", added: [], host: "ada@lab:2222" };

  it("makes the address from the computer and the folder, and says what is missing", () => {
    expect(remoteAddress("ada@lab:2222", "/home/ada/thesis")).toBe(ADDRESS);
    expect(remoteAddress(" lab ", "/data/50% done")).toBe("ssh://lab/data/50%25 done");
    expect(remoteAddress(ADDRESS, "")).toBe(ADDRESS);
    expect(remoteAddress("", "/x")).toEqual({ why: expect.stringContaining("computer's name") });
    expect(remoteAddress("lab", "home/ada")).toEqual({ why: expect.stringContaining("starting with /") });
    expect(remoteAddress("lab /x", "/x")).toEqual({ why: expect.stringContaining("no spaces") });
  });

  it("tests the connection with its steps, shows the fix when it fails, and opens the folder", async () => {
    let fail = true;
    handlers.test_remote = (args) => {
      send(args.onEvent, [{ event: "step", data: { step: "checkingComputer", detail: "Connecting to ada@lab:2222" } }]);
      if (fail) throw { message: "could not reach ada@lab:2222 over SSH", hint: "lab did not accept any of your SSH keys", details: "Permission denied (publickey)." };
      return REMOTE;
    };
    handlers.open_project = (args) => ({ ...REMOTE, dir: args.dir });
    await boot();
    click(document.getElementById("open-remote"));
    (document.getElementById("remote-host") as HTMLInputElement).value = "ada@lab:2222";
    (document.getElementById("remote-folder") as HTMLInputElement).value = "/home/ada/thesis";
    click(document.getElementById("remote-test"));
    await tick();
    expect(calls.find((c) => c.cmd === "test_remote")?.args.address).toBe(ADDRESS);
    const out = document.getElementById("remote-out")!.textContent ?? "";
    expect(out).toContain("did not accept any of your SSH keys");
    fail = false;
    click(document.getElementById("remote-test"));
    await tick();
    expect(document.getElementById("remote-ok")).not.toBeNull();
    (document.querySelector("dialog form") as HTMLFormElement).requestSubmit();
    await tick();
    expect(calls.find((c) => c.cmd === "open_project")?.args.dir).toBe(ADDRESS);
    expect(document.getElementById("project-host")!.textContent).toContain("ada@lab:2222");
    expect(text()).not.toContain("Project settings");
  });

  it("starts a remote project with the steps from the remote, and never asks for what only a folder here has", async () => {
    handlers.home = () => ({ ...HOME, project: REMOTE });
    handlers.start_notebook = (args) => {
      send(args.onEvent, [
        { event: "step", data: { step: "checkingComputer", detail: "Connecting to ada@lab:2222" } },
        { event: "step", data: { step: "startingJupyter", detail: "Starting JupyterLab in /home/ada/thesis" } },
      ]);
      return { dir: ADDRESS, url: "http://127.0.0.1:45001/lab", port: 45001, pid: 77, started_at: 1, log: "/home/ada/log", reused: false, notebook_url: null };
    };
    await boot();
    click(document.getElementById("start"));
    await tick();
    expect(calls.find((c) => c.cmd === "start_notebook")?.args.dir).toBe(ADDRESS);
    const asked = new Set(calls.map((c) => c.cmd));
    for (const local of ["project_settings", "notebooks", "keep_ready", "packages_found"]) expect(asked).not.toContain(local);
    expect(text()).toContain("listed in JupyterLab");
  });

  it("shows a remote server's card with its computer, and reconnecting while its connection is lost", async () => {
    await boot();
    click(document.querySelector('[data-view="servers"]'));
    await emit("servers-changed", [{ ...SERVER, dir: ADDRESS, name: "thesis", host: "ada@lab:2222", state: "disconnected", memory_bytes: 0 }]);
    await tick();
    const card = document.querySelector(".server-card")!;
    expect(card.querySelector(".host")!.textContent).toBe("ada@lab:2222");
    expect(card.textContent).toContain("Reconnecting");
    expect(card.textContent).not.toContain("Memory");
  });
});

describe("JupyterHub", () => {
  const HUB = "https://hub.example.org/";
  const hubs = () => [
    {
      url: HUB, user: "ada", storage: "system", keptIn: "the system keyring", state: "online",
      servers: [
        { name: "", state: "ready", url: `${HUB}user/ada/` },
        { name: "gpu", state: "stopped", url: `${HUB}user/ada/gpu/` },
      ],
      problem: null, hint: null,
    },
    {
      url: "https://down.example.org/", user: "ada", storage: "file", keptIn: "/home/ada/.config/darwinix/hub-tokens.json",
      state: "unreachable", servers: [], problem: "https://down.example.org/ did not answer", hint: "check the address and your network",
    },
  ];

  it("shows each hub with its servers, an unreachable one as such, and starts, opens and stops servers", async () => {
    handlers.hub_start = (args) => {
      send(args.onEvent, [{ event: "step", data: { step: "startingJupyter", detail: "Spawning server…" } }]);
      return { name: "gpu", state: "ready", url: `${HUB}user/ada/gpu/` };
    };
    handlers.hub_open = () => null;
    handlers.hub_stop = () => ({ name: "", state: "stopped", url: `${HUB}user/ada/` });
    await boot();
    click(document.querySelector('[data-view="servers"]'));
    await emit("hubs-changed", hubs());
    await tick();
    const [online, down] = [...document.querySelectorAll(".hub-card")];
    expect(online.textContent).toContain("Online");
    expect(online.querySelector('[data-server=""]')!.textContent).toContain("Default server");
    expect(down.textContent).toContain("Not reachable");
    expect(down.textContent).toContain("check the address and your network");
    click(online.querySelector('[data-server="gpu"] [data-action="start"]'));
    await tick();
    expect(calls.find((c) => c.cmd === "hub_start")?.args).toMatchObject({ url: HUB, server: "gpu" });
    click(document.querySelector('.hub-card [data-server=""] [data-action="open"]'));
    await tick();
    expect(calls.find((c) => c.cmd === "hub_open")?.args).toMatchObject({ url: HUB, server: null });
    click(document.querySelector('.hub-card [data-server=""] [data-action="stop"]'));
    await tick();
    expect(calls.find((c) => c.cmd === "hub_stop")?.args).toMatchObject({ url: HUB, server: null });
    expect(text()).toContain("No notebook servers are running");
  });

  it("adds a hub with its token, keeping the dialog open with the hub's refusal", async () => {
    let refuse = true;
    handlers.hub_add = () => {
      if (refuse) throw { message: "https://hub.example.org/ refused the token", hint: "make a new token on the hub's Token page", details: "403" };
      return { url: HUB, user: "ada", version: "5.4.3", storage: "system", keptIn: "the system keyring", unencrypted: false };
    };
    await boot();
    click(document.querySelector('[data-view="servers"]'));
    click(document.getElementById("hub-add"));
    (document.getElementById("hub-url") as HTMLInputElement).value = "https://hub.example.org/hub/home";
    (document.getElementById("hub-token") as HTMLInputElement).value = "secret-token";
    (document.querySelector("dialog form") as HTMLFormElement).requestSubmit();
    await tick();
    expect(document.querySelector("dialog")!.textContent).toContain("make a new token");
    refuse = false;
    (document.querySelector("dialog form") as HTMLFormElement).requestSubmit();
    await tick();
    expect(document.querySelector("dialog")).toBeNull();
    expect(calls.find((c) => c.cmd === "hub_add")?.args).toEqual({ url: "https://hub.example.org/hub/home", token: "secret-token", allowInsecureHttp: false });
    expect(text()).toContain("kept in the system keyring");
    expect(text()).not.toContain("secret-token");
  });
});

describe("Running servers", () => {
  it("follows the app's servers-changed events and stops a server", async () => {
    handlers.stop_server = () => null;
    const app = await boot();
    click(document.querySelector('[data-view="servers"]'));
    expect(text()).toContain("No notebook servers are running");
    await emit("servers-changed", [SERVER]);
    await tick();
    expect(app.servers).toHaveLength(1);
    const card = document.querySelector(".server-card")!;
    expect(card.textContent).toContain("http://127.0.0.1:41234/lab");
    expect(card.textContent).toContain("2 min");
    expect(card.textContent).toContain("88 MB");
    click(card.querySelector('[data-action="stop"]'));
    await tick();
    expect(calls.find((c) => c.cmd === "stop_server")?.args.dir).toBe(SERVER.dir);
    await emit("servers-changed", []);
    await tick();
    expect(text()).toContain("No notebook servers are running");
  });

  it("asks for the list once and then only listens: nothing polls", async () => {
    vi.useFakeTimers({ toFake: ["setInterval", "setTimeout"] });
    try {
      const boot_ = boot();
      await vi.advanceTimersByTimeAsync(100);
      await boot_;
      click(document.querySelector('[data-view="servers"]'));
      await vi.advanceTimersByTimeAsync(60_000);
    } finally {
      vi.useRealTimers();
    }
    expect(calls.filter((c) => c.cmd === "servers")).toHaveLength(1);
  });

  it("keeps a card's log and answers across the redraws of server changes", async () => {
    handlers.server_log = () => "[I] JupyterLab is running";
    handlers.server_link = () => { throw { message: "no server in this folder", hint: null, details: "x" }; };
    const app = await boot();
    app.show("servers");
    await emit("servers-changed", [SERVER]);
    await tick();
    const card = () => document.querySelector(".server-card")!;
    click(card().querySelector('[data-action="logs"]'));
    await tick();
    click(card().querySelector('[data-action="copy"]'));
    await tick();
    await emit("servers-changed", [{ ...SERVER, uptime_secs: 185 }]);
    await tick();
    expect(card().textContent).toContain("3 min");
    expect(card().querySelector("pre.log")!.textContent).toBe("[I] JupyterLab is running");
    expect(card().querySelector('[data-action="logs"]')!.textContent).toBe("Hide logs");
    expect(card().querySelector("[role=alert]")!.textContent).toContain("no server in this folder");
  });
});

describe("Views without side effects", () => {
  it("asks for the doctor's report and the settings when their view is shown, not when drawn", async () => {
    handlers.doctor = () => new Promise(() => {});
    handlers.get_settings = () => new Promise(() => {});
    handlers["plugin:autostart|is_enabled"] = () => false;
    const app = await boot();
    app.render();
    expect(calls.filter((c) => c.cmd === "doctor" || c.cmd === "get_settings")).toHaveLength(0);
    app.show("computer");
    app.render();
    app.render();
    expect(calls.filter((c) => c.cmd === "doctor")).toHaveLength(1);
    expect(text()).toContain("Checking this computer");
    app.show("settings");
    app.show("settings");
    expect(calls.filter((c) => c.cmd === "get_settings")).toHaveLength(1);
  });
});

describe("Settings", () => {
  it("lists the trusted folders and forgets one", async () => {
    handlers.get_settings = () => ({
      installer: "uv", python: null, index_url: null, native_tls: false,
      extra_args: [], on_quit: "stopServers", tray_notice_shown: true, instant_start: true,
    });
    handlers["plugin:autostart|is_enabled"] = () => false;
    let list = [
      { dir: "/srv/shared/course", owner: 1001, choice: "trusted", at: 2 },
      { dir: "/tmp/x", owner: 0, choice: "withoutInstalling", at: 1 },
    ];
    handlers.trusted_folders = () => list;
    handlers.forget_trust = (args) => {
      list = list.filter((d) => d.dir !== args.dir);
      return list;
    };
    await boot();
    click(document.querySelector('[data-view="settings"]'));
    await tick();
    const section = document.getElementById("trusted-folders")!;
    expect(section.textContent).toContain("/srv/shared/course");
    expect(section.textContent).toContain("Started without installing");
    click(section.querySelector("li button"));
    await tick();
    expect(calls.find((c) => c.cmd === "forget_trust")?.args).toEqual({ dir: "/srv/shared/course" });
    expect(document.getElementById("trusted-folders")!.textContent).not.toContain("/srv/shared/course");
  });

  it("saves the form and shows a refusal with its fix", async () => {
    handlers.get_settings = () => ({
      installer: "uv", python: null, index_url: null, native_tls: false,
      extra_args: [], on_quit: "stopServers", tray_notice_shown: true, instant_start: true,
    });
    handlers["plugin:autostart|is_enabled"] = () => false;
    let saved: any = null;
    handlers.save_settings = (args) => {
      saved = args.settings;
      if (saved.extra_args.includes("--ServerApp.root_dir=/")) {
        throw { message: "the extra JupyterLab argument `--ServerApp.root_dir=/` is not allowed", hint: "remove it", details: "x" };
      }
      return saved;
    };
    await boot();
    click(document.querySelector('[data-view="settings"]'));
    await tick();
    const form = document.querySelector("form.settings-form") as HTMLFormElement;
    (form.querySelector("#installer") as HTMLSelectElement).value = "pip";
    (form.querySelector("#extra_args") as HTMLTextAreaElement).value = " --LabApp.x=1 \n\n--ServerApp.root_dir=/";
    (form.querySelector("#on_quit") as HTMLSelectElement).value = "keepRunning";
    expect((form.querySelector("#instant_start") as HTMLInputElement).checked).toBe(true);
    (form.querySelector("#instant_start") as HTMLInputElement).checked = false;
    form.dispatchEvent(new Event("submit", { cancelable: true }));
    await tick();
    expect(saved).toMatchObject({ installer: "pip", extra_args: ["--LabApp.x=1", "--ServerApp.root_dir=/"], on_quit: "keepRunning", tray_notice_shown: true, instant_start: false });
    expect(document.querySelector("[role=alert]")!.textContent).toContain("is not allowed");
  });
});

describe("Packages", () => {
  const LISTING = {
    file: "/home/ada/Documents/Darwinix/requirements.txt",
    not_editable: null,
    packages: [
      { name: "numpy", version: "2.3.0", summary: "Arrays", kind: "pulled_in", needed_by: ["pandas"] },
      { name: "pandas", version: "2.2.3", summary: "Data frames", kind: "requested", needed_by: [] },
      { name: "rich", version: "14.0.0", summary: null, kind: "not_in_project", needed_by: [] },
    ],
  };
  const row = (name: string) => document.querySelector(`tr[data-package="${name}"]`);

  it("lists the environment, looks a name up and adds it with live steps", async () => {
    let listing = LISTING;
    handlers.packages = () => listing;
    handlers.search_package = (args) => {
      expect(args).toMatchObject({ dir: HOME.project.dir, name: "seaborn>=0.13" });
      return { name: "seaborn", latest: "0.13.2", summary: "Statistical plots", versions: ["0.13.2"], matches: null };
    };
    handlers.change_packages = async (args) => {
      expect(args.change).toEqual({ kind: "add", names: ["seaborn>=0.13"] });
      send(args.onEvent, [
        { event: "step", data: { step: "checkingIndex", detail: "Looking up seaborn>=0.13" } },
        { event: "step", data: { step: "installing", detail: "Installing 1 package" } },
      ]);
      await tick();
      expect(text()).toContain("Checking the package index");
      expect(text()).not.toContain("Starting JupyterLab");
      listing = { ...LISTING, packages: [...LISTING.packages, { name: "seaborn", version: "0.13.2", summary: null, kind: "requested", needed_by: [] }] };
      return { file: LISTING.file, file_changed: true, still_needed: [], restart_kernels: true, gpu: [], elapsed_ms: 900 };
    };
    handlers.restart_kernels = () => 1;
    const app = await boot();
    click(document.querySelector('nav [data-view="packages"]'));
    await tick();
    expect(row("pandas")!.getAttribute("data-kind")).toBe("requested");
    expect(row("numpy")!.textContent).toContain("for pandas");
    expect(row("rich")!.textContent).toContain("not in the project");
    expect(row("rich")!.querySelector('[data-action="keep"]')).not.toBeNull();
    expect(row("numpy")!.querySelector("button")).toBeNull();

    const input = document.getElementById("package-search") as HTMLInputElement;
    input.value = "seaborn>=0.13";
    input.closest("form")!.dispatchEvent(new Event("submit"));
    await tick();
    expect(text()).toContain("Statistical plots");
    click(document.querySelector('.found-package [data-action="add"]'));
    await tick();
    await tick();
    expect(app.packages.busy).toBe(false);
    expect(text()).toContain("Added seaborn>=0.13 (requirements.txt updated).");
    expect(row("seaborn")).not.toBeNull();
    click(document.querySelector('[data-action="restart-kernels"]'));
    await tick();
    expect(calls.some((c) => c.cmd === "restart_kernels")).toBe(true);
    expect(text()).toContain("Restarted the notebook's kernel.");
  });

  it("says what went wrong when a change is undone, and keeps the list", async () => {
    handlers.packages = () => LISTING;
    handlers.change_packages = () => {
      throw { message: "uv could not install\n`requirements.txt` and the environment were put back as they were", hint: "try another version", details: "x" };
    };
    await boot();
    click(document.querySelector('nav [data-view="packages"]'));
    await tick();
    click(row("pandas")!.querySelector('[data-action="remove"]'));
    await tick();
    const alert = document.querySelector("[role=alert]")!;
    expect(alert.textContent).toContain("put back as they were");
    expect(alert.textContent).toContain("try another version");
    const change = calls.find((c) => c.cmd === "change_packages")!;
    expect(change.args.change).toEqual({ kind: "remove", names: ["pandas"] });
    expect(row("pandas")).not.toBeNull();
  });
});
