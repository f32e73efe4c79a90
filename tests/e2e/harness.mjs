// What the app's end-to-end tests stand on: a private X display (Xvfb), tauri-driver in front
// of WebKitWebDriver, a temporary DARWINIX_HOME, and a fake browser that records the address
// Darwinix opens (so the test can use the token the way a browser would).

import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, writeFileSync, existsSync, readFileSync, chmodSync, realpathSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve, dirname } from "node:path";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { remote } from "webdriverio";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const ARTIFACTS = join(ROOT, "tests/artifacts/app");
export const APP = process.env.DARWINIX_APP ?? join(ROOT, "target/debug/darwinix-app");
const TAURI_DRIVER = process.env.TAURI_DRIVER ?? join(ROOT, "target/tools/bin/tauri-driver");

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function freePort() {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => ok(port));
    });
    srv.on("error", fail);
  });
}

function freeDisplay() {
  for (let n = 90; n < 200; n++) {
    if (!existsSync(`/tmp/.X11-unix/X${n}`) && !existsSync(`/tmp/.X${n}-lock`)) return n;
  }
  throw new Error("no free X display number");
}

async function waitFor(what, check, ms) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function listening(port) {
  try {
    await fetch(`http://127.0.0.1:${port}/status`);
    return true;
  } catch {
    return false;
  }
}

/** A home folder with a prepared project (a space and a non-ASCII letter in its path). */
export function sandbox(requirements = "jupyterlab\n") {
  const tmp = realpathSync(mkdtempSync(join(tmpdir(), "darwinix-e2e-")));
  const home = join(tmp, "home");
  const project = join(tmp, "My Notebooks é");
  mkdirSync(project, { recursive: true });
  writeFileSync(join(project, "requirements.txt"), requirements);
  // The project the app shows first: the most recent one.
  mkdirSync(join(home, "config"), { recursive: true });
  writeFileSync(join(home, "config/recent.json"), JSON.stringify({ projects: [project] }));
  // The notice about closing to the tray would open a dialog over the test.
  writeFileSync(join(home, "config/settings.json"), JSON.stringify({ tray_notice_shown: true }));
  const opened = join(tmp, "opened-url");
  const browser = join(tmp, "browser");
  writeFileSync(browser, `#!/bin/sh\numask 077\nprintf '%s\\n' "$1" >> '${opened}'\n`);
  chmodSync(browser, 0o755);
  return {
    tmp,
    home,
    project,
    opened: () => (existsSync(opened) ? readFileSync(opened, "utf8").trim().split("\n") : []),
    // No update checks unless a test asks for them (update.test.mjs serves its own manifest).
    env: { DARWINIX_HOME: home, DARWINIX_BROWSER: browser, DARWINIX_NO_UPDATE_CHECK: "1" },
  };
}

/** A private D-Bus session bus (the app finds its first instance through it). */
function sessionBus(children) {
  return new Promise((ok, fail) => {
    const bus = spawn("dbus-daemon", ["--session", "--nofork", "--print-address=1"], { stdio: ["ignore", "pipe", "inherit"] });
    children.push(bus);
    let out = "";
    bus.stdout.on("data", (chunk) => {
      out += chunk;
      if (out.includes("\n")) ok(out.trim());
    });
    bus.on("exit", (code) => fail(new Error(`dbus-daemon exited with ${code}`)));
  });
}

/** Starts Xvfb, a session bus and tauri-driver, and opens a WebDriver session on the app,
 * launched with `args` (what a file manager or a clicked link would give it). */
export async function launch(box, args = []) {
  const children = [];
  const display = freeDisplay();
  const xvfb = spawn("Xvfb", [`:${display}`, "-screen", "0", "1280x800x24", "-nolisten", "tcp"], { stdio: "ignore" });
  children.push(xvfb);
  await waitFor("Xvfb", () => existsSync(`/tmp/.X11-unix/X${display}`), 10_000);
  const bus = await sessionBus(children);

  // uv from the Rust tests' shared bootstrap when it is there; otherwise the app fetches it.
  const sharedUv = join(ROOT, "target/tmp/shared-uv/home/data/tools/uv/bin");
  const path = existsSync(sharedUv) ? `${sharedUv}:${process.env.PATH}` : process.env.PATH;
  const [port, nativePort] = [await freePort(), await freePort()];
  const appEnv = { ...process.env, ...box.env, PATH: path, DISPLAY: `:${display}`, DBUS_SESSION_BUS_ADDRESS: bus };
  const driver = spawn(TAURI_DRIVER, ["--port", String(port), "--native-port", String(nativePort), "--native-driver", "/usr/bin/WebKitWebDriver"], {
    env: appEnv,
    stdio: ["ignore", "inherit", "inherit"],
    detached: true,
  });
  children.push(driver);
  await waitFor("tauri-driver", () => listening(port), 20_000);

  const stopAll = () => {
    for (const child of children.reverse()) {
      try {
        process.kill(child === driver ? -child.pid : child.pid, "SIGTERM");
      } catch {
        // Already ended.
      }
    }
  };
  const started = Date.now();
  let browser;
  try {
    browser = await remote({
      hostname: "127.0.0.1",
      port,
      logLevel: "warn",
      connectionRetryTimeout: 120_000,
      connectionRetryCount: 0,
      capabilities: {
        "tauri:options": { application: APP, args },
        // WebKitWebDriver speaks classic WebDriver only (no BiDi).
        "wdio:enforceWebDriverClassic": true,
      },
    });
  } catch (err) {
    stopAll();
    throw err;
  }
  return {
    browser,
    display,
    started,
    /** The app's environment (display, session bus, DARWINIX_HOME): what a program the test
     * starts for the user's session (xdg-open) needs to reach the running app. */
    env: appEnv,
    /** Launches the app a second time (a double-click in the file manager) with `args`; resolves
     * with its exit code once it has handed them to the first instance and ended. */
    secondLaunch(args) {
      return new Promise((ok, fail) => {
        const second = spawn(APP, args, { env: appEnv, stdio: "ignore" });
        const timer = setTimeout(() => {
          second.kill("SIGKILL");
          fail(new Error("the second launch did not end: it did not find the first instance"));
        }, 30_000);
        second.on("exit", (code) => {
          clearTimeout(timer);
          ok(code);
        });
      });
    },
    async close() {
      try {
        await browser.deleteSession();
      } catch {
        // The app may be gone already.
      }
      stopAll();
    },
  };
}

/** Clicks `selector`, finding it again when WebKitWebDriver calls it stale (the window redrew
 * while the element was being looked up). */
export async function click(browser, selector) {
  for (let attempt = 0; ; attempt++) {
    try {
      await browser.$(selector).click();
      return;
    } catch (err) {
      if (attempt >= 5 || !/stale/i.test(String(err))) throw err;
      await sleep(100);
    }
  }
}

/** The text of `selector` once it is displayed, found again when WebKitWebDriver calls it stale
 * (a card is drawn again when what it shows changes, e.g. a server's memory). */
export async function textOf(browser, selector, timeout = 10_000) {
  for (let attempt = 0; ; attempt++) {
    try {
      const element = await browser.$(selector);
      await element.waitForDisplayed({ timeout });
      return await element.getText();
    } catch (err) {
      if (attempt >= 5 || !/stale/i.test(String(err))) throw err;
      await sleep(100);
    }
  }
}

/** A PNG of the window as it looks now (after the pending paint).
 *
 * WebKitWebDriver takes the picture after the web view's next presentation update. The app
 * draws without accelerated compositing on Linux (lib.rs, `web_view_env`), where an idle page
 * presents nothing new, so the request would wait forever: while it is pending, one
 * transparent pixel in the corner changes every frame, which the picture does not show. */
export async function screenshot(browser, name) {
  mkdirSync(ARTIFACTS, { recursive: true });
  await browser.execute(() => {
    const tick = document.createElement("div");
    tick.id = "e2e-screenshot-tick";
    tick.style.cssText = "position:fixed;left:0;top:0;width:1px;height:1px;pointer-events:none;z-index:2147483647";
    document.body.append(tick);
    let odd = false;
    const step = () => {
      if (!tick.isConnected) return;
      odd = !odd;
      tick.style.background = odd ? "rgba(0,0,0,0.004)" : "rgba(0,0,0,0)";
      requestAnimationFrame(step);
    };
    step();
  });
  await browser.execute(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  try {
    await browser.saveScreenshot(join(ARTIFACTS, `${name}.png`));
  } finally {
    await browser.execute(() => document.getElementById("e2e-screenshot-tick")?.remove());
  }
}

/** Processes whose command line mentions `needle` (zombies count as gone: PID 1 may not reap). */
export function processesMentioning(needle) {
  const out = execFileSync("ps", ["-eo", "pid=,stat=,args="], { encoding: "utf8" });
  return out
    .split("\n")
    .filter((l) => l.includes(needle) && !l.includes("ps -eo"))
    .map((l) => l.trim().split(/\s+/, 3))
    .filter(([, stat]) => !stat.startsWith("Z"))
    .map(([pid, , args]) => ({ pid: Number(pid), args }));
}
